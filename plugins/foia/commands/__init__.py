"""The comms team's commands (``foia import``, ``new``, ``status``, ``publish``,
``check``, ``build``). They run builds in a child process and never import MkDocs."""
