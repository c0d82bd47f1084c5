"""check() itself: languages, unknown ids, answers that raise, determinism, dependencies."""

import re
import subprocess
import sys

import numpy as np
import pytest
from exercise_helpers import sections

import dlbook
from dlbook.exercises import EXERCISES, check, messages, solution, use_language
from dlbook.exercises.exercise import Text

IDS = sorted(EXERCISES)


def test_every_chapter_0_to_5_has_at_least_two_exercises():
    for chapter in range(6):
        ids = [i for i in EXERCISES if i.startswith(f"ch{chapter}.")]
        assert len(ids) >= 2, f"chapter {chapter}: {ids}"


def test_every_message_is_written_in_both_languages():
    hangul = re.compile("[가-힣]")
    texts = [text for text in vars(messages).values() if isinstance(text, Text)]
    for exercise in EXERCISES.values():
        texts += [exercise.hint, *(m.message for m in exercise.mistakes),
                  *(case.label for case in exercise.edge_cases)]
    for text in texts:
        assert hangul.search(text.ko) or text.ko in ("0", "float32"), text
        assert not hangul.search(text.en), text


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_reference_solution_passes_its_own_check(verdict, exercise_id):
    passed, text = verdict(exercise_id, solution(exercise_id))
    assert passed is True
    assert text.startswith("✅ Passed")


def test_the_pass_message_says_what_was_tried_in_either_language(verdict):
    _, english = verdict("ch4.sigmoid_backward", solution("ch4.sigmoid_backward"))
    _, korean = verdict("ch4.sigmoid_backward", solution("ch4.sigmoid_backward"), "ko")
    assert english == ("✅ Passed: matches the reference on 20 random inputs and 6 edge cases "
                       "(a zero upstream gradient, saturated outputs 0 and 1, large upstream "
                       "gradients, a single element, float32, an empty batch).\n")
    assert korean == ("✅ 통과: 무작위 입력 20개와 경계 사례 6개(0인 상위 기울기, "
                      "포화된 출력 0과 1, 큰 상위 기울기, 원소 하나, float32, 빈 배치)에서 "
                      "정답과 같습니다.\n")


def naive_softmax(z):
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def test_a_failure_prints_the_first_failing_case_in_english(verdict):
    passed, text = verdict("ch1.softmax", naive_softmax)
    assert passed is False
    assert text == """\
❌ Not yet: the answer differs on the edge case “large logits”.
  Input:
    z = [[1000.  999.    0.]]   (shape (1, 3), float64)
  Expected:
    [[0.7311 0.2689 0.    ]]
  Received:
    [[nan nan  0.]]
  Hint:
    exp(z) overflows and inf / inf gives nan: subtract each row's largest logit first, \
z − z.max(axis=-1, keepdims=True); the result does not change.
"""


def test_a_failure_prints_the_first_failing_case_in_korean(verdict):
    use_language("ko")
    passed, text = verdict("ch1.softmax", naive_softmax)
    assert passed is False
    assert text == """\
❌ 아직 정답이 아닙니다: 경계 사례 ‘큰 로짓’에서 답이 다릅니다.
  입력:
    z = [[1000.  999.    0.]]   (모양 (1, 3), float64)
  정답:
    [[0.7311 0.2689 0.    ]]
  받은 값:
    [[nan nan  0.]]
  힌트:
    exp(z)가 넘쳐서(오버플로) inf / inf = nan이 됩니다. 먼저 행마다 가장 큰 값을 빼세요: \
z − z.max(axis=-1, keepdims=True). 결과는 바뀌지 않습니다.
"""


def test_use_language_sets_the_language_and_lang_overrides_it(verdict):
    use_language("ko")
    _, korean = verdict("ch0.expected_error", 0.18)
    _, english = verdict("ch0.expected_error", 0.18, "en")
    assert korean.startswith("✅ 통과")
    assert english.startswith("✅ Passed")


def test_languages_other_than_ko_and_en_are_refused():
    with pytest.raises(ValueError, match="'fr'"):
        use_language("fr")
    with pytest.raises(ValueError, match="'de'"):
        check("ch0.mse", solution("ch0.mse"), lang="de")


def test_an_unknown_id_raises_a_key_error_listing_the_known_ones():
    with pytest.raises(KeyError) as error:
        check("ch4.sigmoid_backwards", lambda grad_out, y: grad_out)
    assert "'ch4.sigmoid_backwards'" in str(error.value)
    assert all(exercise_id in str(error.value) for exercise_id in EXERCISES)


def broken(*args):
    raise ValueError("something went wrong")


@pytest.mark.parametrize("exercise_id", IDS)
def test_an_answer_that_raises_gets_false_and_a_readable_message(verdict, exercise_id):
    passed, text = verdict(exercise_id, broken)
    assert passed is False
    assert "Traceback" not in text
    assert "your function raised an error" in text
    assert sections(text)["Error"] == "ValueError: something went wrong"


def test_the_error_message_shows_how_the_answer_was_called_in_korean(verdict):
    passed, text = verdict("ch4.linear_backward", lambda grad_out, x: grad_out, "ko")
    assert passed is False
    assert "함수가 오류를 냈습니다" in text
    found = sections(text)
    assert found["호출"] == "answer(grad_out, x, weight)"
    assert found["오류"].startswith("TypeError: ")


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("answer", [solution, lambda exercise_id: lambda *args: 0],
                         ids=["right", "wrong"])
def test_the_same_check_prints_the_same_text_twice(verdict, exercise_id, answer):
    first = verdict(exercise_id, answer(exercise_id))
    second = verdict(exercise_id, answer(exercise_id))
    assert first == second


def test_an_answer_returning_none_is_told_to_return(verdict):
    passed, text = verdict("ch4.sigmoid_backward", lambda grad_out, y: None)
    assert passed is False
    assert "Your function returned None: is a return statement missing?" in sections(text)["Hint"]


def test_an_answer_returning_text_is_told_to_return_numbers(verdict):
    passed, text = verdict("ch2.mse_backward", lambda y_pred, y: "2(ŷ − y)/N", "ko")
    assert passed is False
    assert "돌려준 값의 종류가 str입니다" in sections(text)["힌트"]


def test_a_factor_of_the_batch_size_is_named_as_a_missing_mean(verdict):
    def summed_variance(preds, truth):  # summed over the training sets: no mistake of its own
        average = preds.mean(axis=0)
        return np.mean((average - truth) ** 2), np.mean(((preds - average) ** 2).sum(axis=0))

    for lang, hint in [("en", "did you forget to divide by the batch size N = 8"),
                       ("ko", "평균을 내려면 배치 크기로 나누어야 합니다(N = 8)")]:
        passed, text = verdict("ch0.bias_variance", summed_variance, lang)
        assert passed is False
        assert "(shape (8, 13), float64)" in text or "(모양 (8, 13), float64)" in text
        assert hint in text


def test_a_constant_factor_is_named(verdict):
    passed, text = verdict("ch4.sigmoid_backward", lambda grad_out, y: 2 * grad_out * y * (1 - y))
    assert passed is False
    assert "Yours is 2 × the answer" in sections(text)["Hint"]


def test_an_answer_that_changes_its_input_in_place_is_checked_on_the_true_input(verdict):
    def softmax_in_place(z):
        z -= z.max(axis=-1, keepdims=True)  # would corrupt the reference's input if shared
        np.exp(z, out=z)
        return z / z.sum(axis=-1, keepdims=True)

    assert verdict("ch1.softmax", softmax_in_place)[0] is True


def test_checking_does_not_move_dlbooks_default_generator():
    state = dlbook.default_generator().bit_generator.state
    check("ch4.linear_backward", solution("ch4.linear_backward"))
    assert dlbook.default_generator().bit_generator.state == state


def test_importing_the_exercises_needs_numpy_only():
    blocked = "import sys; sys.modules.update(torch=None, matplotlib=None, sklearn=None)"
    code = f"{blocked}; import dlbook.exercises; print(len(dlbook.exercises.EXERCISES))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(EXERCISES)
