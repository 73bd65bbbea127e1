// The text the pipeline counts when no --input is given.

/** A few lines about what the example does, to count the words of. */
export const DEFAULT_TEXT = `The framework splits its input into chunks of a few lines each.
It places one counting executor per counter task and one merging executor,
and waits until every one of them is running.
Then it fans the chunks out: each chunk goes to a counter in a framework message.
Each counter counts the words of its chunk and sends the counts back in an executor message.
The framework forwards every answer to the merger: that is the fan in.
When every chunk is counted, the framework stops the counters and asks the merger to finish.
The merger answers with the total, the number of distinct words and the most frequent words,
or with the chunks it is missing, which the framework sends again.
Messages are best effort, as in Mesos: what is not answered in time is sent again,
and each stage ignores what it already has.
At the end the framework stops the merger, tears itself down and prints the words.`;
