/**
 * Failures as n8n errors: a failed call becomes a NodeApiError explained by the failure table
 * (failures.ts), a refused setting a NodeOperationError naming what to fix, anything else an
 * "unexpected" NodeOperationError. Each carries its facts (kind, retryable, httpCode) and the
 * cause n8n's durable poll scheduler reads; no text leaves without passing the secret guard.
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { msUntilWolkvoxMidnight } from './calendar';
import {
	causeOf,
	explain,
	retryableLater,
	type CallContext,
	type ErrorKind,
	type Explanation,
	type FailureDetails,
	type FailureKind,
} from './failures';
import { NO_TOKEN, type SecretGuard } from './secret';
import { WolkvoxSetupError } from './setupError';

/** A classified failure of one call; errors.ts turns it into an n8n error. */
export class WolkvoxFailure extends Error {
	constructor(
		readonly kind: FailureKind,
		readonly details: FailureDetails = {},
	) {
		super(kind);
		this.name = 'WolkvoxFailure';
	}
}

/** What a workflow can branch on, kept on every error the package raises. */
export interface ErrorFacts {
	kind: ErrorKind;
	/** Whether a later run, with nothing changed, can succeed. */
	retryable: boolean;
	httpCode?: string;
}

type NodeError = NodeApiError | NodeOperationError;

/**
 * Writes the facts where n8n keeps them with the error (its `context`, which survives n8n's
 * copies of the error), and `failure.cause` for n8n 2.38+'s durable poll scheduler (older n8n
 * ignores it). The only place that writes them; factsOf is the only one that reads them.
 */
function withFacts<E extends NodeError>(error: E, kind: ErrorKind, httpCode?: string): E {
	const retryable = retryableLater(kind, httpCode);
	const facts: ErrorFacts = httpCode ? { kind, retryable, httpCode } : { kind, retryable };
	Object.assign(error.context, facts);
	const cause = causeOf(kind, httpCode);
	const failure: IDataObject = { cause };
	// The quota starts again at Wolkvox's midnight.
	if (cause === 'quota-exhausted') failure.resetsAtEpochMs = Date.now() + msUntilWolkvoxMidnight();
	Object.assign(error, { failure });
	return error;
}

/** The facts of an error raised by this package; `unexpected` for anything else. */
export function factsOf(error: unknown): ErrorFacts {
	const context = (error as { context?: Partial<ErrorFacts> } | undefined)?.context;
	if (context && typeof context.kind === 'string' && typeof context.retryable === 'boolean') {
		const { kind, retryable, httpCode } = context;
		return httpCode ? { kind, retryable, httpCode } : { kind, retryable };
	}
	return { kind: 'unexpected', retryable: false };
}

/** `error` with the facts of `from` (a message reworded for a model keeps what it was). */
export function withFactsOf<E extends NodeError>(error: E, from: unknown): E {
	const { kind, httpCode } = factsOf(from);
	return withFacts(error, kind, httpCode);
}

function explainFailure(failure: WolkvoxFailure, context: CallContext): Explanation {
	const explained = explain(failure.kind, failure.details, context);
	const attempts = context.attempts ?? 1;
	if (attempts <= 1) return explained;
	const waited = Math.round((context.retryWaitMs ?? 0) / 100) / 10;
	return {
		message: `${explained.message} (after ${attempts} attempts)`,
		description: `The node tried ${attempts} times, waiting ${waited} s between tries in all. ${explained.description}`,
	};
}

export interface ErrorSite {
	guard?: SecretGuard;
	itemIndex?: number;
}

export function toNodeApiError(
	node: INode,
	failure: WolkvoxFailure,
	context: CallContext & ErrorSite,
): NodeApiError {
	const guard = context.guard ?? NO_TOKEN;
	const explained = explainFailure(failure, context);
	const message = guard.redact(explained.message);
	const description = guard.redact(explained.description);
	const httpCode = failure.details.httpCode ? String(failure.details.httpCode) : undefined;
	// A plain object, never the HTTP client's error: that one carries the request headers, token
	// included, and n8n would store it with the failed execution.
	const response: JsonObject = { message, description, kind: failure.kind };
	if (httpCode) response.httpCode = httpCode;
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode,
		itemIndex: context.itemIndex,
	});
	return withFacts(error, failure.kind, httpCode);
}

/** Whatever was thrown, as text: String() itself throws for some objects. */
function textOf(thrown: unknown): string {
	try {
		return String(thrown);
	} catch {
		return `a thrown ${typeof thrown}`;
	}
}

/** The longest message of an unexpected error we pass on: it may quote anything it met. */
const MAX_UNEXPECTED_MESSAGE = 500;

/** A message cut to MAX_UNEXPECTED_MESSAGE, after the token was hidden in the whole of it. */
const bounded = (message: string) =>
	message.length <= MAX_UNEXPECTED_MESSAGE
		? message
		: `${message.slice(0, MAX_UNEXPECTED_MESSAGE)}… (${message.length} characters)`;

/** One of n8n's errors with the token hidden from its texts, and its facts. */
function cleanNodeError(node: INode, error: NodeError, guard: SecretGuard, itemIndex?: number) {
	const message = guard.redact(error.message);
	const description = guard.redact(error.description ?? '');
	if (message === error.message && description === (error.description ?? '')) {
		const known = typeof (error.context as { kind?: unknown }).kind === 'string';
		return known ? error : withFacts(error, 'unexpected');
	}
	const clean = new NodeOperationError(node, message, { itemIndex, description });
	return withFactsOf(clean, error);
}

/**
 * Any error as an n8n error, for rethrowing from a catch, with the token hidden from its texts:
 * our own n8n errors pass through unchanged, a failure or a setup error becomes the error of its
 * kind, anything else a NodeOperationError with only its message (the original object might
 * carry request headers).
 */
export function asNodeError(node: INode, error: unknown, site: ErrorSite = {}): NodeError {
	const guard = site.guard ?? NO_TOKEN;
	const { itemIndex } = site;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return cleanNodeError(node, error, guard, itemIndex);
	}
	if (error instanceof WolkvoxFailure) {
		return toNodeApiError(node, error, { host: '', timeoutSeconds: 0, guard, itemIndex });
	}
	if (error instanceof WolkvoxSetupError) {
		const description = guard.redact(error.description);
		const clean = new NodeOperationError(node, guard.redact(error.message), {
			itemIndex,
			description,
		});
		return withFacts(clean, error.kind);
	}
	const message = bounded(guard.redact(error instanceof Error ? error.message : textOf(error)));
	return withFacts(new NodeOperationError(node, message, { itemIndex }), 'unexpected');
}

/**
 * An error as an item's JSON for On Error: Continue: what happened (`error`), what to do
 * (`description`), and stable fields a workflow can branch on (`kind`, `retryable`, `httpCode`).
 */
export function errorJson(error: NodeError): IDataObject {
	const { kind, retryable, httpCode } = factsOf(error);
	const json: IDataObject = { error: error.message, kind, retryable };
	if (httpCode) json.httpCode = Number(httpCode);
	if (error.description) json.description = error.description;
	return json;
}
