"""torch.jit: TorchScript's front end for an eager library (loaded on first use)."""
