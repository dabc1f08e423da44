"""Every "Source [n]" beside a recommendation leads to what that number supports."""

import re

import pytest

from tests.wizard.helpers import neuro_post
from tests.wizard.test_flow import complete
from triage.clinical import assess_json
from triage.clinical.explain import SOURCE_SUPPORTS
from triage.models import Round

ALL_FINDINGS = {
    "procedure": {"hours_since": 100, "levels": ["C6"]},
    "symptoms": {"pain_score": 9, "pain_course": "new_back_pain", "radicular_pain": True,
                 "chest_pain": True, "dyspnoea": True, "uncontrolled_despite_analgesia": True},
    "neuro": {"motor": "new_deficit", "sensory": "normal", "upper_limb": "normal",
              "bowel_bladder": "normal", "focal_signs": True},
    "vitals": {"respiratory_rate": 8, "spo2": 88, "on_oxygen": False, "systolic_bp": 85,
               "heart_rate": 130, "consciousness": "V", "temperature": 39.0},
    "imaging": {"status": "done", "modality": "ct", "after_current_symptoms": True,
                "findings": ["foraminal_leak", "intradiscal_leak", "cardiac_cement_embolism",
                             "paravertebral_venous_leak", "infection", "cord_compression"]},
}  # fmt: skip


def test_every_source_number_the_rules_cite_is_explained():
    result = assess_json(ALL_FINDINGS).to_dict()
    cited = {n for item in [*result["red_flags"], *result["pathways"]] for n in item["sources"]}
    assert cited and cited <= set(SOURCE_SUPPORTS)
    assert sorted(SOURCE_SUPPORTS) == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.django_db
def test_the_sources_page_lists_each_number_and_says_no_authors_are_known(nurse_client):
    page = nurse_client.get("/sources/").content.decode()
    for number in SOURCE_SUPPORTS:
        assert f'id="source-{number}"' in page
    assert 'id="source-news2"' in page
    assert "no reference list" in page


@pytest.mark.django_db
def test_a_results_sources_link_to_the_sources_page(nurse_client, encounter):
    complete(nurse_client, encounter, neuro=neuro_post(weak={("L4", "left"): ("5", "3")}))
    round = Round.objects.get()
    page = nurse_client.get(f"/encounters/{encounter.pk}/rounds/{round.number}/").content.decode()
    assert re.search(r'Source <a href="/sources/#source-\d">\[\d\]</a>', page)
