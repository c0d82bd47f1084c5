"""Every message check() prints, in both languages, and how values are written in them."""

import numpy as np

from dlbook.exercises.exercise import Exercise, Text, is_sequence

PASSED = Text("✅ 통과: 무작위 입력 {n}개와 경계 사례 {m}개({labels})에서 정답과 같습니다.",
              "✅ Passed: matches the reference on {n} random inputs and {m} edge cases "
              "({labels}).")
PASSED_VALUE = Text("✅ 통과: {value}, 정답입니다.", "✅ Passed: {value} is right.")
DIFFERS = Text("❌ 아직 정답이 아닙니다: {where}에서 답이 다릅니다.",
               "❌ Not yet: the answer differs on {where}.")
DIFFERS_VALUE = Text("❌ 아직 정답이 아닙니다. 받은 답: {value}",
                     "❌ Not yet: {value} is not the answer.")
RAISED = Text("❌ 아직 정답이 아닙니다: {where}에서 함수가 오류를 냈습니다.",
              "❌ Not yet: your function raised an error on {where}.")

RANDOM_CASE = Text("무작위 입력 {n}개 중 {i}번째", "random input {i} of {n}")
EDGE_CASE = Text("경계 사례 ‘{label}’", "the edge case “{label}”")
THE_QUESTION = Text("문제", "the question")

INPUT = Text("입력", "Input")
EXPECTED = Text("정답", "Expected")
RECEIVED = Text("받은 값", "Received")
FIRST_DIFFERENCE = Text("처음 다른 값", "First difference")
CALLED_AS = Text("호출", "Called as")
ERROR = Text("오류", "Error")
HINT = Text("힌트", "Hint")
SHAPE_NOTE = Text("모양 {shape}, {dtype}", "shape {shape}, {dtype}")

# what the runner says when no mistake of the exercise's own matches
RETURNED_NONE = Text("함수가 None을 돌려주었습니다. return 문을 빠뜨리지 않았나요?",
                     "Your function returned None: is a return statement missing?")
NOT_NUMBERS = Text("돌려준 값의 종류가 {kind}입니다. 숫자나 숫자 배열을 돌려주세요.",
                   "Your function returned a {kind}: return a number or an array of numbers.")
COUNT = Text("정답은 항목 {n}개로 되어 있는데, 받은 값은 {m}개입니다.",
             "The answer has {n} items; yours has {m}.")
TRANSPOSED = Text("모양이 정답 {expected}의 반대인 {received}입니다. 행렬을 전치하지(.T) 않았는지, "
                  "곱하는 순서가 바뀌지 않았는지 확인하세요.",
                  "The shape is {received}, the reverse of the answer's {expected}: is a matrix "
                  "transposed (.T), or a product taken in the wrong order?")
SHAPE = Text("모양이 다릅니다. 정답은 {expected}, 받은 값은 {received}입니다.",
             "The shape differs: the answer's is {expected}, yours is {received}.")
NOT_FINITE = Text("정답은 유한한 값인데 nan이나 inf가 나왔습니다. 큰 입력에서 exp가 "
                  "넘치거나(오버플로) log 0을 계산하지 않았는지 확인하세요.",
                  "The answer is finite but yours has nan or inf: does an exp overflow on large "
                  "inputs, or a log meet 0?")
SIGN = Text("부호가 반대입니다.", "The sign is flipped.")
TIMES_N = Text("받은 값이 정답의 {n}배입니다. 평균을 내려면 배치 크기로 나누어야 합니다(N = {n}).",
               "Yours is {n} × the answer: did you forget to divide by the batch size N = {n} "
               "(the mean)?")
FACTOR = Text("받은 값이 정답의 {factor}배입니다. 곱하거나 나누는 상수(2, 배치 크기 N 등)를 "
              "확인하세요.",
              "Yours is {factor} × the answer: check the constant factors "
              "(a 2, the batch size N, …).")

MAX_ITEMS = 6  # a list longer than this (mini-batches) is shown by its first items


def show(value, prefix: str = "") -> str:
    """``value`` written after ``prefix``: arrays rounded to 4 digits and shortened beyond 24
    elements (continuation lines aligned under the first), generators by their seed."""
    if isinstance(value, np.random.Generator):
        return f"{prefix}np.random.default_rng({value.bit_generator.seed_seq.entropy})"
    if isinstance(value, (list, tuple)):
        more = f", …]  (len {len(value)})" if len(value) > MAX_ITEMS else "]"
        items = [show(item) for item in value[:MAX_ITEMS]]
        if any("\n" in item for item in items):  # matrices: one per line, under the bracket
            pad = " " * (len(prefix) + 1)
            items = [show(item, pad) for item in value[:MAX_ITEMS]]
            return prefix + "[" + ",\n".join(items)[len(pad):] + more
        return f"{prefix}[{', '.join(items)}{more}"
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        return prefix + repr(value)[:200]
    return prefix + np.array2string(array, precision=4, threshold=24, edgeitems=3,
                                    max_line_width=88, prefix=prefix)


def passed(exercise: Exercise, random_cases: int, value, lang: str) -> str:
    """The verdict for an answer that matched the reference on every case."""
    if not exercise.args:
        return PASSED_VALUE.in_language(lang, value=show(value))
    labels = ", ".join(case.label.in_language(lang) for case in exercise.edge_cases)
    return PASSED.in_language(lang, n=random_cases, m=len(exercise.edge_cases), labels=labels)


def differs(exercise: Exercise, where: Text, args: tuple, expected, received, part: str | None,
            hints: list[str], lang: str) -> str:
    """The verdict for the first case whose answer differs: its input, both values, the name
    of the ``part`` of a tuple answer that differs first, and the hints."""
    if not exercise.args:  # a number asked for: the answer is not given away
        lines = [DIFFERS_VALUE.in_language(lang, value=show(received))]
    else:
        lines = [DIFFERS.in_language(lang, where=where.in_language(lang)),
                 *_section(INPUT, _inputs(exercise, args, lang), lang),
                 *_section(EXPECTED, _values(exercise, expected), lang),
                 *_section(RECEIVED, _values(exercise, received), lang)]
        if part:
            lines += _section(FIRST_DIFFERENCE, [f"    {part}"], lang)
    return "\n".join(lines + _section(HINT, [f"    {hint}" for hint in hints], lang))


def raised(exercise: Exercise, where: Text, args: tuple, error: Exception, hint: str,
           lang: str) -> str:
    """The verdict for an answer that raised: the input, how it was called, the error."""
    call = f"    answer({', '.join(exercise.args)})"
    lines = [RAISED.in_language(lang, where=where.in_language(lang)),
             *_section(INPUT, _inputs(exercise, args, lang), lang),
             *_section(CALLED_AS, [call], lang),
             *_section(ERROR, [f"    {type(error).__name__}: {error}"], lang),
             *_section(HINT, [f"    {hint}"], lang)]
    return "\n".join(lines)


def _section(title: Text, lines: list[str], lang: str) -> list[str]:
    return [f"  {title.in_language(lang)}:", *lines] if lines else []


def _inputs(exercise: Exercise, args: tuple, lang: str) -> list[str]:
    lines = []
    for name, value in zip(exercise.args, args, strict=True):
        line = show(value, f"    {name} = ")
        if isinstance(value, np.ndarray) and value.ndim:
            note = SHAPE_NOTE.in_language(lang, shape=value.shape, dtype=value.dtype)
            line += f"   ({note})"
        lines.append(line)
    return lines


def _values(exercise: Exercise, value) -> list[str]:
    """A value, or each named value of a tuple answer on a line of its own."""
    if exercise.outputs and is_sequence(value) and len(value) == len(exercise.outputs):
        return [show(v, f"    {name} = ") for name, v in zip(exercise.outputs, value, strict=True)]
    return [show(value, "    ")]

