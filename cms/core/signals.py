"""Signals of the platform's processes, for features that prepare for them.

The task worker (``cms.publishing``'s ``db_worker``) sends ``worker_starting`` before it
takes its first task: a feature that would otherwise pay a slow first use inside a task
(the search's word segmenter) gets ready then, without the worker knowing of it.
"""

from django.dispatch import Signal

worker_starting = Signal()
