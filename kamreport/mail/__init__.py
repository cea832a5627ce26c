"""Delivery by e-mail: each recipient gets their scope's pack, as a draft or over SMTP.

``recipients`` (the file and its checks) → ``scopes`` (what a scope names, its files) →
``attachments`` (the files, zipped or listed by the size rule) and ``content`` (scorecard,
changes and actions from the report views) → ``compose`` (the message) → ``log`` (the
sent-log) and ``smtp`` (the server) → ``delivery`` (the ``kamreport mail`` command).

Above ``report`` and ``run`` in the layers: it reads a finished run folder; nothing but the
command line imports it.
"""
