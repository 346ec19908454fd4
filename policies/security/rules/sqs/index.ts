import type { Rule } from "@groundwork/policy-kit";
import { sqsQueueConfigureDeadLetterQueue } from "./queue/configureDeadLetterQueue";
import { sqsQueueEnableEncryption } from "./queue/enableEncryption";
import { sqsQueueEnforceTls } from "./queue/enforceTls";
import { sqsQueuePolicyDisallowWildcardAccess } from "./queuePolicy/disallowWildcardAccess";

/** Rules for sqs, in the order the pack lists them. */
export const rules: Rule[] = [sqsQueueEnableEncryption, sqsQueuePolicyDisallowWildcardAccess, sqsQueueConfigureDeadLetterQueue, sqsQueueEnforceTls];
