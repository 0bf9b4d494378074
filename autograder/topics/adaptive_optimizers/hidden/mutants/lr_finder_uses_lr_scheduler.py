"""Mistake (a shortcut): the LR finder sweeps the rate with torch.optim.lr_scheduler.LambdaLR
instead of setting group["lr"] itself."""

import math

import torch

CAUGHT_BY = ("lr_finder.no_library_shortcut_in_sweep",)


def _sweep(model, loss_fn, batches, optimizer, min_lr, max_lr, num_steps, beta, diverge_factor,
           progress=False):
    for group in optimizer.param_groups:
        group["lr"] = min_lr
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda i: (max_lr / min_lr) ** (i / (num_steps - 1)))
    rates, losses, diverged_lr, avg, best = [], [], None, 0.0, math.inf
    for i in range(num_steps):
        rate = optimizer.param_groups[0]["lr"]
        inputs, targets = batches[i % len(batches)]
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        avg = beta * avg + (1 - beta) * loss.item()
        smoothed = avg / (1 - beta ** (i + 1))
        if i > 0 and (not math.isfinite(smoothed) or smoothed > diverge_factor * best):
            diverged_lr = rate
            break
        rates.append(rate)
        losses.append(smoothed)
        best = min(best, smoothed)
        optimizer.step()
        scheduler.step()
    falls = [losses[j] - losses[j - 1] for j in range(1, len(losses))]
    suggestion = rates[falls.index(min(falls))] if falls else rates[0]
    return {"rates": rates, "losses": losses, "suggestion": suggestion,
            "diverged_lr": diverged_lr}
