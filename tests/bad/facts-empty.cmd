eval -f csv base.rubric in/good1.facts in/facts/empty.facts in/good3.facts
