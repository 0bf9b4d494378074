"""Row 12 (deserialisation): augment_images returns, and weight_decay_gap returns a dict of,
objects whose __reduce__ writes a marker and calls the listener when unpickled (one of them a float
subclass, so it survives as a number), hoping the grader pickles answers across its process
boundary."""

ROW = 12
EXPECT = {"refused": True,
          "unscanned": {"zero": ["augment_images", "weight_decay_gap"], "full": "others"}}

CODE = ("import socket\n"
        "open('__MARKERS__/__NAME__-unpickled', 'w').close()\n"
        "socket.create_connection(('127.0.0.1', __PORT__), 2).sendall(b'__NAME__ unpickled')\n")


class Payload:
    def __reduce__(self):
        return (exec, (CODE,))


class PayloadFloat(float):
    def __reduce__(self):
        return (exec, (CODE,))


def augment_images(images, generator, flip_prob=0.5, padding=4):
    return Payload()


def weight_decay_gap(param, grads, lr, weight_decay, betas=(0.9, 0.999), eps=1e-8):
    return {"sgd": PayloadFloat(0.0), "adam": Payload()}
