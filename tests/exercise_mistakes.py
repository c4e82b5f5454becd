"""The typical mistakes of every exercise: each worked solution turned into a mistake a learner is
likely to make. tests/test_exercise_checks.py replays them (every check must print a hint), and
tests/test_assignments.py hands them in to nbgrader (they must score nothing)."""

# (exercise number, text in the worked solution, the mistake that replaces it)
MISTAKES = {
    "00_start_here.ipynb": [
        (1, "np.zeros((6, 4, 2))", "np.zeros((4, 6, 2))"),                            # B and T swapped
        (2, "int(np.ceil(np.log(0.01) / np.log(0.9)))", "int(np.floor(np.log(0.01) / np.log(0.9)))"),   # 43
        (3, "answer = 1000 ** (1 / 40)", "answer = 1000 / 40"),                        # linear thinking
        (4, 'answer = "fragment"', 'answer = "subslide"'),
    ],
    "01_sequence_data.ipynb": [
        (1, "returns = np.diff(np.log(prices))", "returns = np.diff(prices)"),         # not log-returns
        (2, "prices.size - 12 - 3 + 1", "prices.size - 12 + 1"),                       # horizon forgotten
        (3, "answer = one_hot(man_first, small_vocab)", "answer = one_hot(dog_first, small_vocab)"),
        (4, "answer = sum(max(lengths) - n for n in lengths)", "answer = max(lengths) * len(lengths)"),   # padded size
    ],
    "02_rnn_forward.ipynb": [
        (1, "W_hh @ h_1 + b_h", "W_hh @ h_0 + b_h"),                                   # state not carried
        (2, "32 * 10 + 32 * 32 + 32 + 5 * 32 + 5", "32 * 10 + 32 * 32 + 5 * 32"),      # biases forgotten
        (3, "y_gaps[1::2] = np.nan", "y_gaps[0::2] = np.nan"),                         # the other half
        (4, "int(np.ceil(np.log(1e-6) / np.log(0.8)))", "int(np.floor(np.log(1e-6) / np.log(0.8)))"),
    ],
    "03_bptt.ipynb": [
        (1, 'dsoftplus = get_activation("sigmoid").f', 'dsoftplus = get_activation("sigmoid").df'),
        (2, "g = dz[t] @ cache.W_hh ", "g = dz[t] @ cache.W_hh.T "),                   # the bug to fix
        (3, "answer = delta4 * hs[3] + delta3 * hs[2]", "answer = delta4 * hs[3]"),   # truncate=0
        (4, "chunk_terms = 4 * (1 + 2 + 3 + 4 + 5)", "chunk_terms = 4 * 5 * 5"),       # whole squares
    ],
    "04_vanishing_exploding.ipynb": [
        (1, "1.0 / largest_singular_value(W0)", "1.0 / spectral_radius(W0)"),         # ρ for λ₁
        (2, "int(np.floor(np.log(1e-6) / np.log(gl))) + 1", "int(np.floor(np.log(1e-6) / np.log(gl)))"),
        (3, "answer_3 = int(np.argmax(norms))", "answer_3 = int(np.argmax(norms[1:]))"),   # index shifted by the slice
    ],
    "05_long_term_dependencies.ipynb": [
        (1, "answer_1 = 0.5 * 3 * (1 - (-1)) ** 2 / 12", "answer_1 = 0.5 * (1 - (-1)) ** 2 / 12"),   # one term
        (2, "answer_2 = hi", "answer_2 = 2.0"),                                       # a guess
        (3, "np.log(1e-6 / c) / np.log(r)", "np.log10(1e-6 / c) / np.log(r)"),          # two bases of logarithm
    ],
    "06_remedies.ipynb": [
        (1, "answer = (x_s - 8.0 * s, -x_s - 8.0 * (1 - s))", "answer = (-x_s - 8.0 * (1 - s), x_s - 8.0 * s)"),
        (2, "answer = np.array([3.0, -4.0, 12.0]) * 6.5 / norm_ex", "answer = np.clip([3.0, -4.0, 12.0], -6.5, 6.5)"),
        (3, "answer = 11", "answer = 10"),
        (4, "ratio = abs(2.5 * (1 - 0.6**2))", "ratio = abs(2.5 * (1 - 0.6))"),        # 1 − h for tanh′
    ],
    "07_gated_cells.ipynb": [
        (1, "s = 0.5 ** (1 / 50)", "s = 1 - 0.5 / 50"),                                # halving spread linearly
        (2, "+ (1 - z) * (1 - n**2) * (r * w_hn + hn * r * (1 - r) * w_hr)",
         "+ (1 - z) * (1 - n**2) * (r * w_hn)"),                                       # the reset gate's path lost
        (3, "3 * (H * D + H * H + 2 * H)", "3 * (H * D + H * H + H)"),                 # one bias vector, as the LSTM's
    ],
}
