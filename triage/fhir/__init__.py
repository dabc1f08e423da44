"""HL7 FHIR R4 for other systems: the bedside assessment as a ``Questionnaire``, an encounter
as a ``Bundle``, and findings read from a ``QuestionnaireResponse``.

An adapter and nothing more: plain dicts in and out (the product needs no FHIR library at run
time; the tests validate every resource with ``fhir.resources``), no view logic, no rule of its
own. The modules:

* ``terminology``: the names this product gives its questionnaire and code systems, and the
  standard codes (LOINC, SNOMED CT, UCUM) it uses. Pure.
* ``response``: a QuestionnaireResponse to contract findings, refused with the contract's field
  paths. Pure (standard library and the engine), so ``manage.py assess --fhir`` needs no Django.
* ``questionnaire``: the Questionnaire, from the wizard's steps and the engine's vocabulary.
* ``bundle``: one encounter as a collection Bundle.
"""
