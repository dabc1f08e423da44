"""Forms whose fields, while nothing is posted, are drawn once per process for the same key.

Two unposted forms of one class draw the same fields from the same inputs: their prefix and ids,
their initial values (the form's, and any a field was given for this form), the options each
choice of listed rows offers (the wards a user may choose, with their names), and whatever else
the form was given (`rendering_inputs`: the items a physician may override, the treated levels
that decide whether the arms are asked about, a time as shown in the current time zone).
`rendering_key` names all of them, so a page can keep the fields it drew under that key
(`{% form_fields %}`, the wizard's steps) and every other form with that key is drawn from the
kept copy. A posted form has no key (its values and errors are the request's own), nor has a
form whose initial value is worked out when it is drawn (the time now).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from triage.content_digest import digest
from triage.forms.choices import ListedModelChoiceField


class RenderedOnce(forms.BaseForm):
    def rendering_key(self, names: Iterable[str] | None = None) -> str | None:
        """The key of the fields `names` (all by default) as this form draws them."""
        if self.is_bound or any(map(callable, self.initial.values())):
            return None
        given, offered = {}, {}
        for name in self.fields if names is None else names:
            field = self.fields[name]
            if callable(field.initial):
                return None
            if field.initial is not None:
                given[name] = field.initial
            if isinstance(field, ListedModelChoiceField):
                offered[name] = field.offered()
        inputs = (self.prefix, self.auto_id, self.initial, given, offered, self.rendering_inputs())
        return f"{type(self).__module__}.{type(self).__qualname__}:{digest(inputs)}"

    def rendering_inputs(self) -> Any:
        """Besides the prefix, ids and initial values, what the fields are drawn from."""
        return None
