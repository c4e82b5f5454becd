"""RNN Gradients, Hands-On: course helpers."""
