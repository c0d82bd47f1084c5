"""``History``: what ``fit`` records after every epoch, as Keras's ``History``."""


class History:
    """The logs of every epoch: ``history["loss"]`` is the list of training losses, one per epoch.

    ``epochs`` counts from 1 ([1, 2, …]); ``history`` maps each name ("loss", "accuracy",
    "val_loss", "val_accuracy", "lr", …) to a list of the same length as ``epochs``.
    """

    def __init__(self):
        self.epochs = []
        self.history = {}

    def append(self, epoch: int, logs: dict):
        """Record the ``logs`` (name → float) of ``epoch``."""
        self.epochs.append(epoch)
        for name, value in logs.items():
            self.history.setdefault(name, []).append(value)

    def __getitem__(self, name: str) -> list:
        return self.history[name]

    def __contains__(self, name: str) -> bool:
        return name in self.history

    def __len__(self):
        return len(self.epochs)

    def __repr__(self):
        """A table, one row per epoch (the first and last five of a long run)."""
        names = list(self.history)
        rows = [["epoch", *names]]
        for i, epoch in enumerate(self.epochs):
            rows.append([str(epoch)] + [f"{self.history[name][i]:.4g}" for name in names])
        if len(rows) > 11:
            rows = rows[:6] + [["…"] * len(rows[0])] + rows[-5:]
        widths = [max(len(row[j]) for row in rows) for j in range(len(rows[0]))]
        lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
                 for row in rows]
        return f"History({len(self.epochs)} epochs)\n" + "\n".join(lines)
