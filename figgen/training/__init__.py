"""What every training recipe shares: the device, the run handed to a recipe, checkpoints."""
