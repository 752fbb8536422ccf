--- The progress-class vocabulary of the CMCI framework: empty. The engine reads the vocabulary a
-- run is scored with from this module (docs/architecture.md, "A progress class") and stores it
-- with the run; the CMCI publishes scores and ranks, not progress towards targets, so no class is
-- ever given and the list is empty.
return {
  VOCABULARY = {},
}
