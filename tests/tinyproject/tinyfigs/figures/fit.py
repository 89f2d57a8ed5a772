from matplotlib.figure import Figure


def draw(ctx):
    import torch

    trained = ctx.model("line")
    figure = Figure(figsize=(3, 2))
    axes = figure.add_subplot()
    x = torch.linspace(0, 1, 20).unsqueeze(1)
    with torch.no_grad():
        axes.plot(x.squeeze(), trained.module(x).squeeze(), label="modèle")
    axes.set_title(f"perte finale {trained.metrics['final_loss']:.3f}")
    return figure
