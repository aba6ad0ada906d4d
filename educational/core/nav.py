"""The navigation: each feature adds its links in ``init_app``; each page shows those its
user may follow."""

from flask import Flask

from .permissions import STAFF_PERMISSIONS, can


def add_nav(app: Flask, endpoint: str, label, permission: str | None = None) -> None:
    """Add a navigation link, shown to those holding ``permission`` (None: everyone).

    Public links go in the main bar, personal ones (learning, member tools) in a second bar
    for the logged-in user, and staff and admin tools on the staff page (/staff), which the
    main bar links to."""
    app.extensions.setdefault("nav", []).append((endpoint, label, permission))


def navigation(entries, user) -> dict[str, list]:
    """The links a user sees, by place: "main", "personal" and "staff" (the staff page)."""
    places: dict[str, list] = {"main": [], "personal": [], "staff": []}
    for endpoint, label, permission in entries:
        if permission is None:
            places["main"].append((endpoint, label))
        elif can(user, permission):
            place = "staff" if permission in STAFF_PERMISSIONS else "personal"
            places[place].append((endpoint, label))
    return places
