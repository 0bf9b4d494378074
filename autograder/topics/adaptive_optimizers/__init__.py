"""5-09 adaptive_optimizers: RMSProp, Adam, AdamW (functions and an Optimizer), LR schedules, the LR
finder."""
