"""Chapter 10's exercises: one step of a recurrent network, the parameters of an nn.RNN, the
gradient through k steps of a one-value tanh RNN, and clipping gradients by their total norm."""

import numpy as np
import torch
from exercise_helpers import number, rejected

STEP_ARGS = ("x", "h", "weight_ih", "weight_hh", "bias_ih", "bias_hh")


def rnn_step(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    return np.tanh(x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh)


def test_rnn_step_accepts_a_correct_answer(verdict):
    assert verdict("ch10.rnn_step", rnn_step)[0] is True


def test_rnn_step_accepts_torchs_rnn_cell(verdict):
    def with_torch(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
        return torch.rnn_tanh_cell(*(torch.from_numpy(np.asarray(a)) for a in
                                     (x, h, weight_ih, weight_hh, bias_ih, bias_hh))).numpy()

    assert verdict("ch10.rnn_step", with_torch)[0] is True


def test_rnn_step_rejects_a_missing_tanh(verdict):
    rejected(verdict, "ch10.rnn_step",
             lambda x, h, wi, wh, bi, bh: x @ wi.T + bi + h @ wh.T + bh,
             {"en": "The tanh is missing", "ko": "tanh가 빠졌습니다"}, inputs=STEP_ARGS)


def test_rnn_step_rejects_a_missing_bias(verdict):
    rejected(verdict, "ch10.rnn_step",
             lambda x, h, wi, wh, bi, bh: np.tanh(x @ wi.T + h @ wh.T + bh),
             {"en": "One of the biases is missing", "ko": "편향이 하나 빠졌습니다"},
             inputs=STEP_ARGS)


def test_rnn_step_rejects_an_untransposed_recurrent_weight(verdict):
    rejected(verdict, "ch10.rnn_step",
             lambda x, h, wi, wh, bi, bh: np.tanh(x @ wi.T + bi + h @ wh + bh),
             {"en": "not transposed", "ko": "전치하지 않고"}, inputs=STEP_ARGS)


def test_rnn_step_rejects_the_sigmoid(verdict):
    rejected(verdict, "ch10.rnn_step",
             lambda x, h, wi, wh, bi, bh: 1 / (1 + np.exp(-(x @ wi.T + bi + h @ wh.T + bh))),
             {"en": "instead of tanh", "ko": "시그모이드"}, inputs=STEP_ARGS)


PARAMETER_ARGS = ("input_size", "hidden_size", "num_layers")


def rnn_parameters(input_size, hidden_size, num_layers):
    first = hidden_size * (input_size + hidden_size + 2)
    return first + (num_layers - 1) * hidden_size * (2 * hidden_size + 2)


def test_rnn_parameters_accepts_a_correct_answer(verdict):
    assert verdict("ch10.rnn_parameters", rnn_parameters)[0] is True


def test_rnn_parameters_agree_with_torch():
    for args in [(2, 32, 1), (1, 2, 1), (300, 16, 3), (5, 8, 4)]:
        rnn = torch.nn.RNN(*args[:2], num_layers=args[2])
        assert rnn_parameters(*args) == sum(p.numel() for p in rnn.parameters())


def test_rnn_parameters_rejects_one_bias_per_layer(verdict):
    found = rejected(verdict, "ch10.rnn_parameters",
                     lambda i, h, n: rnn_parameters(i, h, n) - n * h,
                     {"en": "one bias per layer", "ko": "편향을 층마다 하나만"},
                     inputs=PARAMETER_ARGS)
    assert number(found["Expected"]) > number(found["Received"])


def test_rnn_parameters_rejects_input_size_for_every_layer(verdict):
    rejected(verdict, "ch10.rnn_parameters", lambda i, h, n: n * (h * i + h * h + 2 * h),
             {"en": "The layers after the first", "ko": "둘째 층부터"}, inputs=PARAMETER_ARGS)


def test_rnn_parameters_rejects_a_missing_recurrent_weight(verdict):
    rejected(verdict, "ch10.rnn_parameters",
             lambda i, h, n: rnn_parameters(i, h, n) - n * h * h,
             {"en": "weight_hh is missing", "ko": "weight_hh가 빠졌습니다"}, inputs=PARAMETER_ARGS)


def bptt_factor(w, h):
    return np.prod(w * (1 - h[1:] ** 2))


def test_bptt_factor_accepts_a_correct_answer(verdict):
    assert verdict("ch10.bptt_factor", bptt_factor)[0] is True


def test_bptt_factor_matches_torchs_gradient():
    w = torch.tensor(0.8, dtype=torch.float64)
    h0 = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    states = [h0]
    for u in [0.5, -0.2, 0.1, 0.7]:
        states.append(torch.tanh(w * states[-1] + u))
    states[-1].backward()
    h = np.array([s.item() for s in states])
    assert np.isclose(bptt_factor(0.8, h), h0.grad.item(), rtol=1e-12)


def test_bptt_factor_rejects_w_to_the_k(verdict):
    rejected(verdict, "ch10.bptt_factor", lambda w, h: w ** (len(h) - 1),
             {"en": "derivative of tanh is missing", "ko": "tanh의 도함수가 빠졌습니다"},
             inputs=("w", "h"))


def test_bptt_factor_rejects_steps_off_by_one(verdict):
    rejected(verdict, "ch10.bptt_factor", lambda w, h: np.prod(w * (1 - h[:-1] ** 2)),
             {"en": "off by one", "ko": "하나 어긋났습니다"}, inputs=("w", "h"))


def test_bptt_factor_rejects_a_sum(verdict):
    rejected(verdict, "ch10.bptt_factor", lambda w, h: np.sum(w * (1 - h[1:] ** 2)),
             {"en": "chain rule multiplies", "ko": "연쇄 법칙은 곱합니다"}, inputs=("w", "h"))


def clip_by_total_norm(grads, max_norm):
    total = np.sqrt(sum((g ** 2).sum() for g in grads))
    return [g * min(1.0, max_norm / (total + 1e-6)) for g in grads]   # torch's 1e-6 is accepted


def test_clip_by_total_norm_accepts_a_correct_answer(verdict):
    assert verdict("ch10.clip_by_total_norm", clip_by_total_norm)[0] is True


def test_clip_by_total_norm_accepts_torchs_clip_grad_norm(verdict):
    def with_torch(grads, max_norm):
        tensors = [torch.zeros(np.shape(g), dtype=torch.float64, requires_grad=True)
                   for g in grads]
        for t, g in zip(tensors, grads, strict=True):
            t.grad = torch.from_numpy(np.array(g, dtype=np.float64))
        torch.nn.utils.clip_grad_norm_(tensors, max_norm)
        return [t.grad.numpy() for t in tensors]

    assert verdict("ch10.clip_by_total_norm", with_torch)[0] is True


def test_clip_by_total_norm_rejects_clipping_each_gradient_alone(verdict):
    def each(grads, max_norm):
        return [clip_by_total_norm([g], max_norm)[0] for g in grads]

    rejected(verdict, "ch10.clip_by_total_norm", each,
             {"en": "each gradient on its own", "ko": "하나씩 따로"}, inputs=("grads", "max_norm"))


def test_clip_by_total_norm_rejects_stretching_short_gradients(verdict):
    def stretched(grads, max_norm):
        total = np.sqrt(sum((g ** 2).sum() for g in grads))
        return [g * max_norm / total for g in grads]

    rejected(verdict, "ch10.clip_by_total_norm", stretched,
             {"en": "stretched short gradients", "ko": "짧은 기울기까지"},
             inputs=("grads", "max_norm"))


def test_clip_by_total_norm_rejects_clipping_values(verdict):
    rejected(verdict, "ch10.clip_by_total_norm",
             lambda grads, max_norm: [np.clip(g, -max_norm, max_norm) for g in grads],
             {"en": "clip_grad_value_", "ko": "clip_grad_value_"}, inputs=("grads", "max_norm"))


def test_clip_by_total_norm_leaves_the_inputs_alone(verdict):
    def in_place(grads, max_norm):
        total = np.sqrt(sum((g ** 2).sum() for g in grads))
        for g in grads:
            g *= min(1.0, max_norm / total)
        return grads

    assert verdict("ch10.clip_by_total_norm", in_place)[0] is True
