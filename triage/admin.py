from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from triage.models import User, Ward

admin.site.register(Ward)


@admin.register(User)
class TriageUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Wards", {"fields": ("wards",)}))
    filter_horizontal = (*UserAdmin.filter_horizontal, "wards")
