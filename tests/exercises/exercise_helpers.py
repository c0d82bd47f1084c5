"""What check() printed, read back: its sections, and the verdict in both languages."""

import re


def sections(text: str) -> dict[str, str]:
    """The message's sections ("Input", "정답", …) mapped to their lines, dedented by 4."""
    found, title = {}, None
    for line in text.splitlines()[1:]:
        heading = re.fullmatch(r"  (\S.*):", line)
        if heading:
            title = heading.group(1)
            found[title] = []
        elif title:
            found[title].append(line[4:])
    return {title: "\n".join(lines) for title, lines in found.items()}


def rejected(verdict, exercise_id, answer, hint: dict[str, str], inputs: tuple[str, ...]):
    """Check ``answer`` in both languages: False, a message naming every input, an expected and
    a received value that differ, and the hint fragment of that language. Returns the English
    sections, for assertions on the values."""
    titles = {"en": ("Input", "Expected", "Received", "Hint"),
              "ko": ("입력", "정답", "받은 값", "힌트")}
    for lang, (input_, expected, received, hint_title) in titles.items():
        passed, text = verdict(exercise_id, answer, lang)
        assert passed is False, text
        found = sections(text)
        assert "Traceback" not in text
        for name in inputs:
            assert f"{name} = " in found[input_], text
        assert found[expected] and found[received] and found[expected] != found[received], text
        assert hint[lang] in found[hint_title], text
        if lang == "en":
            english = found
    return english


def number(section: str) -> float:
    """The first number in a section: a scalar value as check() printed it."""
    return float(re.search(r"-?\d+(\.\d*)?(e[-+]\d+)?|inf|nan", section).group())
