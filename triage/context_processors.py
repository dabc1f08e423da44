from django.http import HttpRequest

from triage.request_log import current_request_id
from triage.roles import Role, roles_of

# The section of the navigation each app's pages belong to (any other page: its own view name).
NAV_SECTIONS = {"encounters": "encounters", "review": "review", "guidance": "guidance"}


def navigation(request: HttpRequest) -> dict:
    """Which sections the navigation offers (each role sees only what it may use) and which
    of them the page is in (`nav_current`: "home", "encounters", "ward-board", "review",
    "guidance", "accounts:api-tokens", or another page's view name)."""
    roles = roles_of(request.user)
    match = request.resolver_match
    current = (NAV_SECTIONS.get(match.app_name) or match.view_name) if match else ""
    return {
        "nav_roles": roles,
        "nav_is_nurse": Role.NURSE in roles,
        "nav_is_physician": Role.PHYSICIAN in roles,
        "nav_is_guidance_admin": Role.GUIDANCE_ADMIN in roles,
        "nav_current": current,
    }


def request_id(request: HttpRequest) -> dict:
    """The request's id, shown on the error pages as "Reference: <id>" for IT."""
    return {"request_id": current_request_id()}
