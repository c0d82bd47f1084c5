"""Chapter 5's exercises: batches per epoch, an epoch's mini-batches, updates in 10 epochs."""

import math
import re

import numpy as np
from exercise_helpers import number, rejected, sections


def test_batches_per_epoch_accepts_a_correct_answer(verdict):
    def batches_per_epoch(n, batch_size, drop_last):
        return n // batch_size if drop_last else -(-n // batch_size)

    assert verdict("ch5.batches_per_epoch", batches_per_epoch)[0] is True


def test_batches_per_epoch_rejects_always_rounding_down(verdict):
    found = rejected(verdict, "ch5.batches_per_epoch",
                     lambda n, batch_size, drop_last: n // batch_size,
                     {"en": "the last, smaller batch is an iteration too",
                      "ko": "마지막 배치도 이터레이션 한 번"},
                     inputs=("n", "batch_size", "drop_last"))
    n, batch_size = (int(re.search(rf"{name} = (\d+)", found["Input"]).group(1))
                     for name in ("n", "batch_size"))
    assert "drop_last = False" in found["Input"]
    assert number(found["Expected"]) == math.ceil(n / batch_size)
    assert number(found["Received"]) == n // batch_size


def test_batches_per_epoch_rejects_always_rounding_up(verdict):
    rejected(verdict, "ch5.batches_per_epoch",
             lambda n, batch_size, drop_last: math.ceil(n / batch_size),
             {"en": "⌊n / B⌋", "ko": "⌊n / B⌋"}, inputs=("n", "batch_size", "drop_last"))


def test_batches_per_epoch_rejects_one_more_than_the_floor(verdict):
    rejected(verdict, "ch5.batches_per_epoch",
             lambda n, batch_size, drop_last: n // batch_size + (0 if drop_last else 1),
             {"en": "one too many", "ko": "하나가 많습니다"}, inputs=("n", "batch_size"))


def test_batches_per_epoch_rejects_a_fraction(verdict):
    rejected(verdict, "ch5.batches_per_epoch", lambda n, batch_size, drop_last: n / batch_size,
             {"en": "need not be whole", "ko": "정수가 아닐 수 있습니다"},
             inputs=("n", "batch_size"))


def cut(order, batch_size, drop_last):
    batches = np.split(order, range(batch_size, len(order), batch_size))
    if drop_last and len(batches[-1]) < batch_size:
        batches.pop()
    return batches


def minibatches(n, batch_size, generator, drop_last=False):
    return cut(generator.permutation(n), batch_size, drop_last)


def test_minibatches_accepts_a_correct_answer(verdict):
    assert verdict("ch5.minibatches", minibatches)[0] is True


def test_minibatches_rejects_an_unshuffled_order(verdict):
    found = rejected(verdict, "ch5.minibatches",
                     lambda n, batch_size, generator, drop_last:
                     cut(np.arange(n), batch_size, drop_last),
                     {"en": "Nothing was shuffled", "ko": "섞지 않았습니다"},
                     inputs=("n", "batch_size", "generator", "drop_last"))
    assert re.search(r"generator = np\.random\.default_rng\(\d+\)", found["Input"])
    assert found["Received"].startswith("[[0 1 2")


def test_minibatches_rejects_ignoring_drop_last(verdict):
    rejected(verdict, "ch5.minibatches",
             lambda n, batch_size, generator, drop_last: minibatches(n, batch_size, generator),
             {"en": "With drop_last=True the last batch", "ko": "drop_last=True이면"},
             inputs=("n", "batch_size", "generator", "drop_last"))


def test_minibatches_rejects_a_generator_other_than_the_one_given(verdict):
    rejected(verdict, "ch5.minibatches",
             lambda n, batch_size, generator, drop_last:
             minibatches(n, batch_size, np.random.default_rng(12345), drop_last),
             {"en": "from the generator you were given", "ko": "넘겨받은 generator로"},
             inputs=("n", "batch_size", "generator", "drop_last"))


def test_minibatches_rejects_drawing_with_replacement(verdict):
    def with_replacement(n, batch_size, generator, drop_last):
        return [generator.integers(0, n, batch_size) for _ in range(0, n, batch_size)]

    rejected(verdict, "ch5.minibatches", with_replacement,
             {"en": "An index came twice", "ko": "같은 인덱스가 두 번"},
             inputs=("n", "batch_size", "generator", "drop_last"))


def test_total_updates_accepts_3910(verdict):
    assert verdict("ch5.total_updates", 3910)[0] is True


def test_total_updates_rejects_the_drop_last_count_without_giving_the_answer_away(verdict):
    for lang, hint in [("en", "by default (drop_last=False)"), ("ko", "기본값(drop_last=False)")]:
        passed, text = verdict("ch5.total_updates", 3900, lang)
        assert passed is False
        assert "3900" in text.splitlines()[0] and "3910" not in text
        assert hint in text


def test_total_updates_rejects_one_epoch(verdict):
    passed, text = verdict("ch5.total_updates", 391)
    assert passed is False
    assert "multiply by the 10 epochs" in sections(text)["Hint"]
