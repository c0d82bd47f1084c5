"""Reversing strings of digits: the small sequence-to-sequence task of chapter 11.

A source is a string of random digits, "40213"; its target holds the same digits in reverse
order, "31204". A model reads and writes *tokens*, the integer ids of a vocabulary of twelve
symbols: the ten digits, whose ids are their own values (token 7 is "7"), and two markers for
the decoder, ``<sos>`` (start of sequence, id 10), which it reads before writing its first
digit, and ``<eos>`` (end of sequence, id 11), which it writes after its last digit.

    source, target = reverse_digits(3, length=5, generator=np.random.default_rng(0))
    decoder_input, decoder_target = teacher_forcing(target)
    decode(source), decode(decoder_target)     # ['86523', ...], ['32568', ...]

Sequences come batch first, (N, L), int64, all of one length L per call: a training loop draws
a length for each mini-batch, so that no batch needs padding.
"""

import numpy as np

from dlbook.random import default_generator

SOS, EOS = "<sos>", "<eos>"
VOCABULARY = (*"0123456789", SOS, EOS)  # token id -> symbol
SOS_ID, EOS_ID = VOCABULARY.index(SOS), VOCABULARY.index(EOS)  # 10, 11
VOCAB_SIZE = len(VOCABULARY)  # 12


def encode(texts) -> np.ndarray:
    """Strings of digits, all of one length L, as token ids.

    Shape: a list of N strings -> (N, L) int64. ``encode(["307"])`` is ``[[3, 0, 7]]``.
    """
    texts = list(texts)
    lengths = {len(t) for t in texts}
    if len(lengths) > 1:
        raise ValueError(f"encode: expected strings of one length, got lengths {sorted(lengths)}")
    if not all(t.isdigit() and t.isascii() for t in texts):
        raise ValueError("encode: expected strings of the digits 0-9 only")
    return np.array([[int(d) for d in t] for t in texts], dtype=np.int64).reshape(len(texts), -1)


def decode(ids) -> list[str]:
    """Token ids back to strings: each row read up to its first ``<eos>``, ``<sos>`` skipped.

    Shape: (N, L) integers -> a list of N strings. ``decode([[3, 0, 7, 11, 5]])`` is ``["307"]``.
    """
    texts = []
    for row in np.asarray(ids):
        symbols = []
        for token in row:
            if token == EOS_ID:
                break
            if token != SOS_ID:
                symbols.append(VOCABULARY[token])
        texts.append("".join(symbols))
    return texts


def reverse_digits(n_samples: int, length: int, generator=None):
    """``n_samples`` random strings of ``length`` digits, and the same strings reversed.

    Each digit is drawn uniformly from 0-9 by ``generator`` (an ``np.random.Generator``;
    dlbook's default generator when None), so the same generator state gives the same pairs.

    Returns:
        source: (N, L) int64, the digits the encoder reads;
        target: (N, L) int64, ``source[:, ::-1]``, the digits the decoder must write.
    """
    if length < 1:
        raise ValueError(f"reverse_digits: length must be at least 1, got {length}")
    rng = default_generator() if generator is None else generator
    source = rng.integers(0, 10, size=(n_samples, length), dtype=np.int64)
    return source, source[:, ::-1].copy()


def teacher_forcing(target):
    """What the decoder reads and what it must predict at each step, in training.

    The decoder reads ``<sos>`` then the correct digits, and at every step predicts the next
    token: the digits, then ``<eos>``. Reading the correct previous digit rather than its own
    guess is teacher forcing.

    Shape: target (N, L) -> decoder_input (N, L + 1) = [<sos>, t_1, …, t_L],
    decoder_target (N, L + 1) = [t_1, …, t_L, <eos>], both int64.
    """
    target = np.asarray(target, dtype=np.int64)
    column = np.ones((len(target), 1), dtype=np.int64)
    decoder_input = np.concatenate([SOS_ID * column, target], axis=1)
    decoder_target = np.concatenate([target, EOS_ID * column], axis=1)
    return decoder_input, decoder_target


__all__ = ["EOS", "EOS_ID", "SOS", "SOS_ID", "VOCABULARY", "VOCAB_SIZE", "decode", "encode",
           "reverse_digits", "teacher_forcing"]
