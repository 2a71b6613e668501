"""What accounts tells the apps above it, which it must not import.

`password_changed` is sent after the commit of a password change, with `user`, `title` and `text` (Russian).
A receiver that will put the notice in front of the person (the notifications inbox) returns True when its
message goes out by e-mail as well; when none does, accounts mails the letter itself.
"""

from __future__ import annotations

from django.dispatch import Signal

password_changed = Signal()
