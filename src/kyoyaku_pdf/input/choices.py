"""The format's choices that every run's parser names (``new --kind``), apart from the model:
input/model.py makes its dataclasses when imported, which ``preflight`` or ``verify-archive`` never
need. A test holds these equal to the model's own."""

#: the kinds of agreement (model.Kind)
KINDS = ("変更", "締結")
