"""Chapter 5: counting batches, and cutting a shuffled epoch into mini-batches."""

import math

import numpy as np

from dlbook.data import DataLoader, TensorDataset
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _batches_case(rng):
    return int(rng.integers(1, 500)), int(rng.integers(1, 64)), bool(rng.integers(0, 2))


# batches_per_epoch(n, batch_size, drop_last) -> iterations per epoch, an int
BATCHES_PER_EPOCH = Exercise(
    id="ch5.batches_per_epoch",
    args=("n", "batch_size", "drop_last"),
    reference=lambda n, batch_size, drop_last: len(
        DataLoader(TensorDataset(np.arange(n)), batch_size, drop_last=drop_last)),
    random_case=_batches_case,
    edge_cases=(
        Case(Text("2000개를 200개씩", "2000 in batches of 200"), (2000, 200, False)),
        Case(Text("2000개를 300개씩", "2000 in batches of 300"), (2000, 300, False)),
        Case(Text("2000개를 300개씩 drop_last로", "2000 in batches of 300 with drop_last"),
             (2000, 300, True)),
        Case(Text("데이터보다 큰 배치", "a batch larger than the data"), (10, 32, False)),
        Case(Text("데이터보다 큰 배치를 drop_last로",
                  "a batch larger than the data with drop_last"), (10, 32, True)),
        Case(Text("배치 크기 1", "batch size 1"), (2000, 1, True)),
    ),
    mistakes=(
        Mistake(Text("drop_last=False이면 크기가 모자란 마지막 배치도 이터레이션 한 번입니다: "
                     "⌈n / B⌉.",
                     "With drop_last=False the last, smaller batch is an iteration too: "
                     "⌈n / B⌉."),
                same_as(lambda n, batch_size, drop_last: n // batch_size)),
        Mistake(Text("drop_last=True이면 batch_size를 채우지 못한 마지막 배치를 버립니다: ⌊n / B⌋.",
                     "With drop_last=True the last batch, short of batch_size, is dropped: "
                     "⌊n / B⌋."),
                same_as(lambda n, batch_size, drop_last: math.ceil(n / batch_size))),
        Mistake(Text("n이 B로 나누어떨어지면 남는 배치가 없으므로 n // B + 1은 하나가 많습니다. "
                     "⌈n / B⌉ = (n + B − 1) // B를 쓰세요.",
                     "When B divides n there is no leftover batch, so n // B + 1 is one too "
                     "many: use ⌈n / B⌉ = (n + B − 1) // B."),
                same_as(lambda n, batch_size, drop_last:
                        n // batch_size if drop_last else n // batch_size + 1)),
        Mistake(Text("n / B는 정수가 아닐 수 있습니다. 배치 수는 정수이므로 올림(math.ceil)하거나 "
                     "내림(//)하세요.",
                     "n / B need not be whole, but a number of batches is: round it up "
                     "(math.ceil) or down (//)."),
                same_as(lambda n, batch_size, drop_last: n / batch_size)),
        Mistake(Text("반올림이 아니라 올림(drop_last=False)이나 내림(drop_last=True)입니다.",
                     "Not rounding to the nearest: round up (drop_last=False) or down "
                     "(drop_last=True)."),
                same_as(lambda n, batch_size, drop_last: round(n / batch_size))),
    ),
    hint=Text("에포크당 이터레이션 수는 drop_last=False일 때 ⌈n / B⌉, drop_last=True일 때 "
              "⌊n / B⌋입니다.",
              "The iterations per epoch are ⌈n / B⌉ with drop_last=False and ⌊n / B⌋ with "
              "drop_last=True."),
)


def _minibatches(n, batch_size, generator, drop_last):
    """The index batches of one epoch, as a shuffling DataLoader hands them out."""
    loader = DataLoader(TensorDataset(np.arange(n)), batch_size, shuffle=True,
                        drop_last=drop_last, generator=generator)
    return [indices for (indices,) in loader]


def _cut(order, batch_size, drop_last):
    """``order`` cut into pieces of ``batch_size``: the shape of the slips below."""
    stop = len(order) - len(order) % batch_size if drop_last else len(order)
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def _indices(batches):
    """Every index of every batch, in the order they came."""
    return np.concatenate([np.ravel(batch) for batch in batches] + [np.zeros(0, int)])


def _repeated(args, expected, received):
    drawn = _indices(received)
    return len(np.unique(drawn)) < len(drawn)


def _reordered(args, expected, received):
    ours, yours = _indices(expected), _indices(received)
    return np.array_equal(np.sort(ours), np.sort(yours)) and not np.array_equal(ours, yours)


def _minibatches_case(rng):
    return (int(rng.integers(1, 40)), int(rng.integers(1, 12)),
            np.random.default_rng(int(rng.integers(1000))), bool(rng.integers(0, 2)))


# minibatches(n, batch_size, generator, drop_last) -> an epoch's index arrays, in order
MINIBATCHES = Exercise(
    id="ch5.minibatches",
    args=("n", "batch_size", "generator", "drop_last"),
    reference=_minibatches,
    random_case=_minibatches_case,
    edge_cases=(
        Case(Text("10개를 3개씩", "10 samples in batches of 3"),
             (10, 3, np.random.default_rng(0), False)),
        Case(Text("10개를 3개씩 drop_last로", "10 in batches of 3 with drop_last"),
             (10, 3, np.random.default_rng(0), True)),
        Case(Text("데이터보다 큰 배치", "a batch larger than the data"),
             (5, 8, np.random.default_rng(1), False)),
        Case(Text("데이터보다 큰 배치를 drop_last로",
                  "a batch larger than the data with drop_last"),
             (5, 8, np.random.default_rng(1), True)),
        Case(Text("배치 크기 1", "batch size 1"), (4, 1, np.random.default_rng(2), False)),
    ),
    mistakes=(
        Mistake(Text("섞지 않았습니다. 에포크마다 generator.permutation(n)으로 새 순서를 뽑은 다음 "
                     "그 순서대로 자르세요.",
                     "Nothing was shuffled: draw a new order with generator.permutation(n), then "
                     "cut it."),
                same_as(lambda n, batch_size, generator, drop_last:
                        _cut(np.arange(n), batch_size, drop_last))),
        Mistake(Text("drop_last=True이면 batch_size를 채우지 못한 마지막 배치를 버립니다.",
                     "With drop_last=True the last batch, short of batch_size, is dropped."),
                same_as(lambda n, batch_size, generator, drop_last:
                        _cut(generator.permutation(n), batch_size, False))),
        Mistake(Text("drop_last=False이면 남은 샘플로 만든 마지막의 작은 배치도 돌려줍니다.",
                     "With drop_last=False the last, smaller batch of the samples left over is "
                     "returned too."),
                same_as(lambda n, batch_size, generator, drop_last:
                        _cut(generator.permutation(n), batch_size, True))),
        Mistake(Text("np.array_split은 배치 크기를 고르게 나눕니다. DataLoader는 앞에서부터 "
                     "batch_size개씩 채우고, 남은 것을 마지막 배치에 둡니다.",
                     "np.array_split evens out the batch sizes; the DataLoader fills batches of "
                     "batch_size from the front and leaves the remainder for the last one."),
                same_as(lambda n, batch_size, generator, drop_last:
                        np.array_split(generator.permutation(n), math.ceil(n / batch_size)))),
        Mistake(Text("같은 인덱스가 두 번 나왔습니다. 한 에포크에서 모든 샘플은 정확히 한 번씩 "
                     "나와야 하므로, 에포크 전체에 순열 하나를 뽑으세요. 배치마다 순열을 새로 "
                     "뽑거나 복원 추출(integers, choice)을 하면 안 됩니다.",
                     "An index came twice: within an epoch every sample appears exactly once, "
                     "so draw one permutation for the whole epoch, not one per batch, and not "
                     "samples with replacement (integers, choice)."),
                _repeated),
        Mistake(Text("인덱스는 모두 맞지만 순서가 다릅니다. 넘겨받은 generator로 "
                     "generator.permutation(n)을 한 번만 뽑고 그 순서를 그대로 자르세요. 그래야 "
                     "같은 시드가 같은 배치를 줍니다.",
                     "The indices are right but their order is not: draw generator.permutation(n) "
                     "once, from the generator you were given, and cut that order as it is; then "
                     "the same seed gives the same batches."),
                _reordered),
    ),
    hint=Text("order = generator.permutation(n)을 뽑은 다음 앞에서부터 batch_size개씩 자릅니다. "
              "drop_last=True이면 크기가 모자란 마지막 배치를 버립니다.",
              "Draw order = generator.permutation(n), then cut it into pieces of batch_size from "
              "the front; with drop_last=True drop a last piece that is too short."),
)

# exercise 1.1: the updates in 10 epochs over 50,000 images in batches of 128
TOTAL_UPDATES = Exercise(
    id="ch5.total_updates",
    args=(),
    reference=lambda: 10 * len(DataLoader(TensorDataset(np.arange(50_000)), batch_size=128)),
    mistakes=(
        Mistake(Text("drop_last=True일 때의 답입니다. 기본값(drop_last=False)에서는 80개짜리 "
                     "마지막 배치도 업데이트 한 번입니다.",
                     "That is the count with drop_last=True; by default (drop_last=False) the last "
                     "batch of 80 is an update too."),
                same_as(3900)),
        Mistake(Text("에포크 하나의 업데이트 수입니다. 에포크 수 10을 곱하세요.",
                     "That is the updates of one epoch: multiply by the 10 epochs."),
                same_as(390, 391)),
        Mistake(Text("50,000 × 10 / 128은 정수가 아닙니다. 먼저 에포크당 배치 수를 세세요.",
                     "50,000 × 10 / 128 is not a whole number: count the batches per epoch first."),
                same_as(50_000 * 10 / 128)),
        Mistake(Text("남는 배치는 에포크마다 한 번씩 생깁니다. 에포크당 배치 수를 올림한 다음 10을 "
                     "곱하세요.",
                     "The leftover batch comes once in every epoch: round up the batches per "
                     "epoch, then multiply by 10."),
                same_as(math.ceil(50_000 * 10 / 128))),
    ),
    hint=Text("먼저 에포크당 이터레이션 수 ⌈N / B⌉를 구한 다음 에포크 수를 곱합니다.",
              "Count the iterations per epoch, ⌈N / B⌉, then multiply by the number of epochs."),
)

EXERCISES = (BATCHES_PER_EPOCH, MINIBATCHES, TOTAL_UPDATES)
