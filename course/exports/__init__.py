"""What the course publishes for the browser: one module per model declared `export: onnx` in
figgen.yaml, whose `export(trained)` wraps the trained network for the page (figgen.export.Export).

Each wrapper holds all the arithmetic the page would otherwise redo (reshaping, a softmax), so
the labs only feed the graph and read its outputs; the reference inputs are chosen to teach
something, and the build writes PyTorch's outputs for them into the model's card.
"""
