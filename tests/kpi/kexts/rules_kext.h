/* rules_kext.h - the RuleStore test kext's protocol (shared with its test). */
#ifndef RULES_KEXT_H
#define RULES_KEXT_H

#define RULES_CTL_NAME "org.example.rulestore"
#define RULES_MAX_RULE 63
#define RULES_MAX_RULES 64

#define RULES_OPT_ADD 1   /* set: a rule (a prefix, 1..RULES_MAX_RULE bytes) */
#define RULES_OPT_DEL 2   /* set: remove the rule */
#define RULES_OPT_CLEAR 3 /* set, no data: remove every rule */
#define RULES_OPT_COUNT 4 /* get: uint32 number of rules */
#define RULES_OPT_LIST 5  /* get: every rule, NUL-separated; data NULL asks the size */
#define RULES_OPT_HITS 6  /* get: uint64 matches so far */

/* A client sends a name; the kext answers one byte: '1' if a rule is a prefix of it. */

#endif
