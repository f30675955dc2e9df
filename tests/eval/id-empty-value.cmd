eval -f json id/id.rubric id/空工号.facts id/无工号.facts id/team.csv
