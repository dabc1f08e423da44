from django.http import HttpRequest

from triage.request_log import current_request_id
from triage.roles import Role, roles_of


def navigation(request: HttpRequest) -> dict:
    """Which sections the navigation offers: each role sees only what it may use."""
    roles = roles_of(request.user)
    return {
        "nav_roles": roles,
        "nav_is_nurse": Role.NURSE in roles,
        "nav_is_physician": Role.PHYSICIAN in roles,
        "nav_is_guidance_admin": Role.GUIDANCE_ADMIN in roles,
    }


def request_id(request: HttpRequest) -> dict:
    """The request's id, shown on the error pages as "Reference: <id>" for IT."""
    return {"request_id": current_request_id()}
