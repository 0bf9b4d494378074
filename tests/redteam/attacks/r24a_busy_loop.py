"""Row 24 (resources): augment_images spins in a busy loop (pure Python, holding the GIL) instead of
returning. The time limit stops the topic's process: augment_images earns nothing, and the checks
after it are charged as not run."""

ROW = 24
EXPECT = {"zero": ["augment_images"], "below_full": True}


def augment_images(images, generator, flip_prob=0.5, padding=4):
    spins = 0
    while True:
        spins += 1
