"""What the data layer tells the layers above it, without knowing them.

``observations_importees`` is sent once an import (or the undo of one) is committed, with ``bilan`` (the
``importation.Bilan`` of the file): the diagnostic recomputes the indicators that read that dataset. The data layer
never imports the diagnostic: it only sends."""

from django.dispatch import Signal

observations_importees = Signal()  # kwargs: bilan
