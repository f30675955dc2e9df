eval -f csv base.rubric in/good1.facts in/facts/number-1e309.facts in/good3.facts
