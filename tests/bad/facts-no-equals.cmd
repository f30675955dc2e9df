eval -f csv base.rubric in/good1.facts in/facts/no-equals.facts in/good3.facts
