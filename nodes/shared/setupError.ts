/**
 * A setting that cannot be used as it is (a credential field, a report name, an option, the Poll
 * Times), refused before any call. Its message names what to fix; `kind` is what workflows see,
 * one of the failure table's setup kinds. The credential, the base-URL rules and the token rules
 * all raise it, so it imports types only.
 */
import type { SetupKind } from './failures';

export class WolkvoxSetupError extends Error {
	constructor(
		readonly kind: SetupKind,
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'WolkvoxSetupError';
	}
}
