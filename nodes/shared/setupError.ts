/**
 * A setting that cannot be used as it is (a credential field, a report name, an option, the Poll
 * Times), refused before any call. Its message names what to fix; `kind` is what workflows see.
 * No imports: the credential, the base-URL rules and the token rules all raise it.
 */
export type SetupKind =
	| 'badServer'
	| 'badBaseUrl'
	| 'foreignHost'
	| 'shortToken'
	| 'badToken'
	| 'badReportName'
	| 'badOption'
	| 'pollTooOften';

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
