diff team.rubric team-v2.rubric li.facts
