/**
 * The most ideas one request clusters. Average linkage here is cubic in time: 150 ideas take
 * about 0.1 s on the 2-core machine, 300 about 0.3 s, 1,000 several seconds of a blocked event
 * loop. A workshop question gathers 80–150; past this, people group some by hand first.
 */
export const MAX_SUGGESTION_IDEAS = 300;
