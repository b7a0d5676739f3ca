"""The portal's pages, as the macros the Markdown in content/ calls: each renders a page
(or, for item pages, the page of one tier, stage, journey or incentive) from the
checked program data."""

from __future__ import annotations

from . import guides, home, incentives, journeys, lifecycle, resources, tiers

# The macros pages call: name -> renderer(program, links, *ids).
PAGE_MACROS = {
    "program_home": home.program_home,
    "tiers_index": tiers.tiers_index,
    "tier_page": tiers.tier_page,
    "lifecycle_index": lifecycle.lifecycle_index,
    "stage_page": lifecycle.stage_page,
    "journeys_index": journeys.journeys_index,
    "journey_page": journeys.journey_page,
    "playbooks_index": lifecycle.playbooks_index,
    "stage_plays_page": lifecycle.stage_plays_page,
    "incentives_index": incentives.incentives_index,
    "incentive_page": incentives.incentive_page,
    "renewal_page": resources.renewal_page,
    "assessment_page": resources.assessment_page,
    "glossary_page": resources.glossary_page,
    "downloads_page": resources.downloads_page,
    "data_dictionary_page": resources.data_dictionary_page,
    "guides_index": guides.guides_index,
    "practice_page": guides.practice_page,
    "success_plan_page": guides.success_plan_page,
    "usage_report_page": guides.usage_report_page,
    "quarterly_review_page": guides.quarterly_review_page,
    "program_structure_page": guides.program_structure_page,
}
