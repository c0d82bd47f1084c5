"""The generated sequence tasks of chapters 10 and 11: the adding problem and digit reversal."""

import numpy as np
import pytest

from dlbook.data.seq2seq import (
    EOS_ID,
    SOS_ID,
    VOCAB_SIZE,
    decode,
    encode,
    reverse_digits,
    teacher_forcing,
)
from dlbook.data.sequences import adding_problem


def test_adding_problem_marks_one_step_in_each_half_and_sums_their_values():
    x, y = adding_problem(500, 9, generator=np.random.default_rng(0))
    assert x.shape == (500, 9, 2) and y.shape == (500, 1)
    assert x.dtype == y.dtype == np.float32
    markers = x[..., 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :4].sum(axis=1) == 1) and np.all(markers[:, 4:].sum(axis=1) == 1)
    np.testing.assert_array_equal(y[:, 0], (x[..., 0] * markers).sum(axis=1))
    # answering the mean scores the variance of the sum of two U(0, 1): 1/6
    assert np.mean((y - 1.0) ** 2) == pytest.approx(1 / 6, abs=0.02)


def test_adding_problem_repeats_with_the_same_generator_state():
    first = adding_problem(4, 6, generator=np.random.default_rng(3))
    again = adding_problem(4, 6, generator=np.random.default_rng(3))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))


def test_adding_problem_needs_two_steps():
    with pytest.raises(ValueError, match="seq_len must be at least 2, got 1"):
        adding_problem(3, 1)


def test_reverse_digits_gives_each_source_reversed():
    source, target = reverse_digits(6, 5, generator=np.random.default_rng(0))
    assert source.shape == target.shape == (6, 5) and source.dtype == np.int64
    assert [t[::-1] for t in decode(source)] == decode(target)
    assert source.min() >= 0 and source.max() <= 9


def test_encode_and_decode_are_inverse_and_decode_stops_at_eos():
    assert encode(["307", "120"]).tolist() == [[3, 0, 7], [1, 2, 0]]
    assert decode(encode(["307", "120"])) == ["307", "120"]
    assert decode([[SOS_ID, 3, 0, 7, EOS_ID, 5]]) == ["307"]
    with pytest.raises(ValueError, match="one length"):
        encode(["1", "22"])
    with pytest.raises(ValueError, match="digits 0-9 only"):
        encode(["1a"])


def test_teacher_forcing_shifts_the_target_by_one_step():
    decoder_input, decoder_target = teacher_forcing(np.array([[4, 2]]))
    assert decoder_input.tolist() == [[SOS_ID, 4, 2]]
    assert decoder_target.tolist() == [[4, 2, EOS_ID]]
    assert VOCAB_SIZE == 12
