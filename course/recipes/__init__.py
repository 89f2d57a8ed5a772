"""Training procedures: each module has a `Hyperparameters` dataclass and `train(run)`."""
