"""The synthetic tasks of helpers.tasks: the clue-to-answer corpus and its encoding, and the long-range
task generators, each checked against the function of the inputs it is meant to compute (read off
the arrays independently of helpers.tasks's internals)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import tasks
from helpers.data import load_corpus


def parse(sentence):
    """(country, language, gap) read off a sentence, without helpers.tasks's internals."""
    words = sentence.split()
    assert words[:4] == ["i", "grew", "up", "in"] and words[5] == "and"
    assert words[-6:-2] == ["so", "i", "speak", "fluent"] and words[-1] == "."
    country, language = words[4], words[-2]
    return country, language, len(words) - 2 - 4 - 1     # tokens strictly between index 4 and -2


LANGUAGE_OF = {"france": "french", "spain": "spanish", "italy": "italian", "germany": "german",
               "japan": "japanese", "greece": "greek", "russia": "russian", "sweden": "swedish"}


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------

def test_committed_corpus_content():
    sentences = load_corpus()
    assert len(sentences) == 400
    parsed = [parse(s) for s in sentences]
    assert all(LANGUAGE_OF[c] == lang for c, lang, _ in parsed)
    assert {g for _, _, g in parsed} == set(range(5, 25))           # every gap in the range occurs
    assert {c for c, _, _ in parsed} == set(LANGUAGE_OF)
    fillers = {w for s in sentences for w in s.split()[6:-6]}
    assert fillers <= set(tasks.FILLERS) and not fillers & (set(LANGUAGE_OF) | set(LANGUAGE_OF.values()))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 30), low=st.integers(5, 30), extra=st.integers(0, 10), seed=st.integers(0, 2**32))
def test_make_corpus_gap_answer_and_determinism(n, low, extra, seed):
    sentences = tasks.make_corpus(n, (low, low + extra), seed)
    assert len(sentences) == n and sentences == tasks.make_corpus(n, [low, low + extra], seed)
    for s in sentences:
        country, language, gap = parse(s)
        assert LANGUAGE_OF[country] == language and low <= gap <= low + extra


def test_make_corpus_exact_gap_and_seed_changes_output():
    assert all(parse(s)[2] == 9 for s in tasks.make_corpus(50, (9, 9), 1))
    assert tasks.make_corpus(50, (5, 20), 1) != tasks.make_corpus(50, (5, 20), 2)


@pytest.mark.parametrize("args, message", [
    ((0, (5, 9), 0), r"n_sentences must be an integer >= 1, got 0"),
    ((10, (4, 9), 0), r"gap_range\[0\] must be an integer >= 5, got 4"),
    ((10, (5, 9.0), 0), r"gap_range\[1\] must be an integer >= 5, got 9.0"),
    ((10, (9, 5), 0), r"gap_range must have low <= high; got \(9, 5\)"),
    ((10, 7, 0), r"gap_range must be a pair \(low, high\) of integers >= 5; got 7"),
    ((10, (5, 9), -1), r"seed must be an integer >= 0 \(a seed, so the run can be repeated\), got -1"),
])
def test_make_corpus_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        tasks.make_corpus(*args)


def test_encode_answer_and_next_targets():
    sentences = load_corpus()[:5]
    x, y = tasks.encode(sentences)
    lengths = [len(s.split()) for s in sentences]
    T, V = max(lengths), len(tasks.VOCAB)
    assert x.shape == (T, 5, V) and x.dtype == np.float64 and y.shape == (T, 5) and y.dtype == np.int64
    ids, y_next = tasks.encode(sentences, one_hot=False, targets="next")
    assert ids.shape == (T, 5) and ids.dtype == np.int64
    for b, s in enumerate(sentences):
        words, L = s.split(), lengths[b]
        assert [tasks.VOCAB[i] for i in ids[:L, b]] == words and np.all(ids[L:, b] == -1)
        np.testing.assert_array_equal(x[:L, b], np.eye(V)[ids[:L, b]])
        assert np.all(x[L:, b] == 0)
        # "answer": one target, at the step of "fluent", naming the language
        assert list(np.flatnonzero(y[:, b] >= 0)) == [L - 3] and words[L - 3] == "fluent"
        assert tasks.VOCAB[y[L - 3, b]] == LANGUAGE_OF[words[4]]
        # "next": every step but the last predicts the next word
        assert [tasks.VOCAB[i] for i in y_next[:L - 1, b]] == words[1:] and np.all(y_next[L - 1:, b] == -1)
    assert tasks.decode(x) == sentences and tasks.decode(ids) == sentences


def test_encode_targets_work_with_the_rnn_loss():
    from helpers.rnn import rnn_loss_and_grads
    x, y = tasks.encode(load_corpus()[:4])
    V, H = len(tasks.VOCAB), 6
    rng = np.random.default_rng(0)
    params = {"W_xh": rng.normal(size=(H, V)) * 0.1, "W_hh": np.zeros((H, H)), "b_h": np.zeros(H),
              "W_hy": np.zeros((V, H)), "b_y": np.zeros(V)}
    loss, _ = rnn_loss_and_grads(params, x, y, loss="softmax")
    assert loss == pytest.approx(np.log(V))              # uniform prediction, one target a sequence


@pytest.mark.parametrize("args, message", [
    ((["i grew up in mars"],),
     r"sentences\[0\] must be non-empty and use only words of VOCAB; got unknown words \['mars'\]"),
    (([],), r"sentences must be a non-empty list of strings"),
    (("i grew up",), r"sentences must be a non-empty list of strings"),
    ((None,), r"sentences must be a non-empty list of strings; got None"),
    (([["i", "grew"]],), r"sentences\[0\] must be a string of words separated by spaces, got \['i', 'grew'\]"),
    ((["i grew"], True, "all"), r"targets must be one of 'answer', 'next'; got 'all'"),
])
def test_encode_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        tasks.encode(*args)


def test_decode_rejects_bad_input():
    with pytest.raises(ValueError, match=r"x must be int ids of shape \(T, B\) or one-hot of shape \(T, B, 41\); "
                                         r"got dtype float64, shape \(3, 2\)"):
        tasks.decode(np.zeros((3, 2)))
    with pytest.raises(ValueError,
                       match=r"x must hold token ids in 0 … 40 \(or -1 for padding\); got values from -2 to 41"):
        tasks.decode(np.array([[0, 41], [-2, 1]]))


@pytest.mark.parametrize("gap", [5, 6, 17, 40])
def test_clue_task_fixed_gap(gap):
    x, y = tasks.clue_task(gap, 64, seed=3)
    T, V = gap + 5, len(tasks.VOCAB)
    assert x.shape == (T, 64, V) and x.dtype == np.float64 and y.shape == (T, 64) and y.dtype == np.int64
    assert np.all(y[:-1] == -1)
    for sentence, answer in zip(tasks.decode(x), y[-1], strict=True):
        country, language, g = parse(sentence + " " + tasks.VOCAB[answer] + " .")
        assert g == gap and LANGUAGE_OF[country] == language
    ids, y2 = tasks.clue_task(gap, 64, seed=3, one_hot=False)
    np.testing.assert_array_equal(x, np.eye(V)[ids])
    np.testing.assert_array_equal(y, y2)
    x3, y3 = tasks.clue_task(gap, 64, seed=4)
    assert not np.array_equal(x3, x)


@pytest.mark.parametrize("args, message", [
    ((4, 8, 0), r"gap must be an integer >= 5, got 4"),
    ((5.0, 8, 0), r"gap must be an integer >= 5, got 5.0"),
    ((5, 0, 0), r"B must be an integer >= 1, got 0"),
    ((5, 8, "a"), r"seed must be an integer >= 0 \(a seed, so the run can be repeated\), got 'a'"),
])
def test_clue_task_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        tasks.clue_task(*args)


# ---------------------------------------------------------------------------------------------
# Long-range tasks
# ---------------------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(T=st.integers(2, 60), B=st.integers(1, 20), seed=st.integers(0, 2**32))
def test_adding_problem(T, B, seed):
    x, y = tasks.adding_problem(T, B, seed)
    assert x.shape == (T, B, 2) and y.shape == (T, B, 1) and x.dtype == y.dtype == np.float64
    assert np.all((x[..., 0] >= 0) & (x[..., 0] < 1))
    assert np.all(np.isnan(y[:-1]))
    for b in range(B):
        marked = np.flatnonzero(x[:, b, 1])
        assert set(x[:, b, 1]) <= {0.0, 1.0} and len(marked) == 2
        assert marked[0] < T // 2 <= marked[1]
        assert y[-1, b, 0] == pytest.approx(x[marked[0], b, 0] + x[marked[1], b, 0], abs=1e-15)
    x2, y2 = tasks.adding_problem(T, B, seed)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)


def test_adding_problem_seed_and_marker_spread():
    x, _ = tasks.adding_problem(20, 2000, seed=0)
    assert not np.array_equal(x, tasks.adding_problem(20, 2000, seed=1)[0])
    positions = np.nonzero(x[..., 1].T)[1]               # every position in each half gets used
    assert set(positions) == set(range(20))


def test_adding_baseline_mse_matches_monte_carlo():
    assert tasks.adding_baseline_mse() == pytest.approx(1 / 6, abs=1e-15)
    _, y = tasks.adding_problem(10, 200_000, seed=5)
    s = y[-1, :, 0]
    assert np.mean((s - 1.0) ** 2) == pytest.approx(1 / 6, abs=3e-3)      # SE ≈ 0.0004
    assert np.mean((s - s.mean()) ** 2) == pytest.approx(1 / 6, abs=3e-3)  # and 1.0 is the best constant
    assert s.mean() == pytest.approx(1.0, abs=5e-3)


def test_adding_constant_answer_gives_half_the_baseline_as_helpers_loss():
    from helpers.rnn import output_loss
    _, y = tasks.adding_problem(8, 100_000, seed=6)
    loss, _ = output_loss(np.ones_like(y), y, "mse")
    assert loss == pytest.approx(tasks.adding_baseline_mse() / 2, abs=2e-3)


@settings(max_examples=30, deadline=None)
@given(T=st.integers(1, 40), B=st.integers(1, 20), n=st.integers(2, 8), seed=st.integers(0, 2**32))
def test_copy_first_symbol(T, B, n, seed):
    x, y = tasks.copy_first_symbol(T, B, seed, n_symbols=n)
    assert x.shape == (T, B, n) and x.dtype == np.float64 and y.shape == (T, B) and y.dtype == np.int64
    assert np.all(x.sum(axis=-1) == 1) and set(np.unique(x)) <= {0.0, 1.0}
    assert np.all(y[:-1] == -1)
    np.testing.assert_array_equal(y[-1], [np.flatnonzero(x[0, b])[0] for b in range(B)])
    np.testing.assert_array_equal(x, tasks.copy_first_symbol(T, B, seed, n_symbols=n)[0])


@pytest.mark.parametrize("make", [lambda s: tasks.copy_first_symbol(20, 16, s),
                                  lambda s: tasks.temporal_order(20, 16, s)])
def test_long_range_tasks_follow_their_seed(make):
    x0, y0 = make(0)
    x1, y1 = make(1)
    assert not np.array_equal(x0, x1) and not np.array_equal(y0[-1], y1[-1])
    np.testing.assert_array_equal(x1, make(1)[0])


def test_copy_first_symbol_distractors_use_the_whole_alphabet():
    x, y = tasks.copy_first_symbol(30, 500, seed=0, n_symbols=5)
    assert set(x[1:].argmax(-1).ravel()) == set(range(5)) and set(y[-1]) == set(range(5))
    assert tasks.accuracy(x[-1:], y[-1:]) < 0.3                # "repeat the last input" ≈ chance


@settings(max_examples=30, deadline=None)
@given(T=st.integers(2, 40), B=st.integers(1, 20), seed=st.integers(0, 2**32))
def test_temporal_order(T, B, seed):
    x, y = tasks.temporal_order(T, B, seed)
    assert x.shape == (T, B, 6) and x.dtype == np.float64 and y.shape == (T, B) and y.dtype == np.int64
    assert np.all(x.sum(axis=-1) == 1) and np.all(y[:-1] == -1)
    symbols = x.argmax(-1)
    for b in range(B):
        relevant = np.flatnonzero(symbols[:, b] < 2)      # the X / Y steps
        assert len(relevant) == 2 and relevant[0] < T // 2 <= relevant[1]
        first, second = symbols[relevant, b]
        assert y[-1, b] == {(0, 0): 0, (0, 1): 1, (1, 0): 2, (1, 1): 3}[(first, second)]
    np.testing.assert_array_equal(x, tasks.temporal_order(T, B, seed)[0])


def test_temporal_order_uses_all_four_classes():
    _, y = tasks.temporal_order(10, 400, seed=0)
    assert set(y[-1]) == {0, 1, 2, 3}


@pytest.mark.parametrize("fn, args, message", [
    (tasks.adding_problem, (1, 4, 0), r"T must be an integer >= 2, got 1"),
    (tasks.adding_problem, (10.0, 4, 0), r"T must be an integer >= 2, got 10.0"),
    (tasks.adding_problem, (10, 0, 0), r"B must be an integer >= 1, got 0"),
    (tasks.adding_problem, (10, 4, None), r"seed must be an integer >= 0 \(a seed, .*\), got None"),
    (tasks.temporal_order, (1, 4, 0), r"T must be an integer >= 2, got 1"),
    (tasks.temporal_order, (10, True, 0), r"B must be an integer >= 1, got True"),
    (tasks.copy_first_symbol, (0, 4, 0), r"T must be an integer >= 1, got 0"),
    (tasks.copy_first_symbol, (5, 4, 0, 1), r"n_symbols must be an integer >= 2, got 1"),
])
def test_tasks_reject_bad_input(fn, args, message):
    with pytest.raises(ValueError, match=message):
        fn(*args)


def test_accuracy_ignores_steps_without_target():
    o = np.zeros((3, 2, 4))
    o[2, 0, 1] = o[2, 1, 3] = o[0, 0, 2] = 1.0
    y = np.array([[2, -1], [-1, -1], [1, 0]])
    assert tasks.accuracy(o, y) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r"y has no target"):
        tasks.accuracy(o, np.full((3, 2), -1))
    with pytest.raises(ValueError, match=r"y must be integer class ids of shape \(3, 2\); "
                                         r"got dtype float64, shape \(3, 2\)"):
        tasks.accuracy(o, y.astype(float))
    with pytest.raises(ValueError, match=r"o must have 3 dimensions"):
        tasks.accuracy(o[0], y)


def test_accuracy_names_o_and_y_when_their_steps_differ_and_refuses_nan_outputs():
    o = np.zeros((3, 2, 4))
    y = np.array([[2, -1], [-1, -1], [1, 0]])
    for wrong in (o[:-1], o[:0], o.transpose(1, 0, 2)):
        with pytest.raises(ValueError, match=r"^o has T = \d+ steps and B = \d+ sequences .* but y has shape "
                                             r"\(3, 2\); expected y of shape"):
            tasks.accuracy(wrong, y)
    with pytest.raises(ValueError, match=r"^o has T = 3 .* but y has shape \(2, 3\)"):
        tasks.accuracy(o, y.T.copy())
    bad = o.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^o contains NaN"):
        tasks.accuracy(bad, y)
    bad[0, 0, 0] = 0.0
    bad[0, 0, 2] = np.inf                      # an output that overflowed: the largest, as it is
    assert tasks.accuracy(bad, y) == pytest.approx(2 / 3) and tasks.accuracy(o, y) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match=r"^o must have K >= 1 class scores"):
        tasks.accuracy(o[..., :0], y)
    with pytest.raises(ValueError, match=r"^y must hold class ids 0 … 3 \(o has K = 4 class scores\) or -1"):
        tasks.accuracy(o, y + 2)


@pytest.mark.parametrize("make", [lambda **kw: tasks.clue_task(5, seed=0, **kw),
                                  lambda **kw: tasks.adding_problem(6, seed=0, **kw),
                                  lambda **kw: tasks.copy_first_symbol(6, seed=0, **kw),
                                  lambda **kw: tasks.temporal_order(6, seed=0, **kw)],
                         ids=["clue_task", "adding_problem", "copy_first_symbol", "temporal_order"])
def test_every_task_calls_its_batch_size_B(make):
    """The course's letter for the batch size is B, in the signature and in every message."""
    x, y = make(B=3)
    assert x.shape[1] == y.shape[1] == 3
    with pytest.raises(ValueError, match=r"^B must be an integer >= 1, got 0$"):
        make(B=0)
    with pytest.raises(ValueError, match=r"^B must be an integer >= 1, got 2\.5$"):
        make(B=2.5)
    with pytest.raises(TypeError, match="batch"):
        make(batch=3)


def test_clue_task_puts_the_clue_at_x5_and_the_gap_before_step_T():
    """The course's time index: x_1 … x_T in array rows 0 … T-1; the clue is x_5 (row 4), and the
    answer is read at step T = gap + 5, k = gap steps after the clue."""
    ids, y = tasks.clue_task(9, 4, seed=0, one_hot=False)
    T = ids.shape[0]
    assert T == 9 + 5 and np.all(y[-1] >= 0) and np.all(y[:-1] == -1)
    for b in range(4):
        assert tasks.VOCAB[ids[4, b]] in LANGUAGE_OF                     # x_5 is the country
        assert LANGUAGE_OF[tasks.VOCAB[ids[4, b]]] == tasks.VOCAB[y[-1, b]]
        assert tasks.VOCAB[ids[-1, b]] == "fluent"                        # x_T


@pytest.mark.parametrize("call", [lambda s: tasks.make_corpus(3, (5, 6), s), lambda s: tasks.clue_task(5, 2, s),
                                  lambda s: tasks.adding_problem(4, 2, s), lambda s: tasks.copy_first_symbol(3, 2, s),
                                  lambda s: tasks.temporal_order(4, 2, s)])
@pytest.mark.parametrize("seed", [None, 0.5, True, "1"])
def test_every_task_refuses_a_seed_that_is_not_an_integer(call, seed):
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        call(seed)


def test_one_hot_must_be_true_or_false():
    with pytest.raises(ValueError, match="one_hot must be True or False, got 'no'"):
        tasks.clue_task(5, 2, 0, one_hot="no")
    with pytest.raises(ValueError, match="one_hot must be True or False, got None"):
        tasks.encode(["i grew up in france"], one_hot=None)
