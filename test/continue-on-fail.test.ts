/** With On Error "Continue", a failed input yields one error item paired to it; the rest runs. */
import { useSimulator } from './support/engine/fixtures';

const fx = useSimulator();

const input = [{ which: 'agent_script' }, { which: 'nope_report' }, { which: 'chat_licenses' }];

test('the failed item becomes { error } paired to it and later items still run', async () => {
	const result = await fx.run({
		parameters: { report: '={{ $json.which }}' },
		input,
		continueOnFail: true,
	});
	expect(result.error).toBeUndefined();
	expect(result.run.status).toBe('success');
	expect(result.items.map((i) => [i.pairedItem, i.json.report ?? i.json.error])).toEqual([
		[{ item: 0 }, 'agent_script'],
		[{ item: 1 }, 'Wolkvox does not know the report “nope_report”'],
		[{ item: 2 }, 'chat_licenses'],
	]);
	expect(result.items[1].json).toEqual({
		error: 'Wolkvox does not know the report “nope_report”',
		kind: 'unknownReport',
		httpCode: 400,
		retryable: false,
		description:
			'Wolkvox answered “THE API YOU WANT TO CONSULT DOES NOT EXIST”. Choose a report from the list, or check the spelling of the custom report name with Wolkvox support. Wolkvox may also refuse reports your operation does not have.',
	});
});

test('a bad parameter on one item is an error item too', async () => {
	const result = await fx.run({
		parameters: { report: '={{ $json.which }}' },
		input: [{ which: 'bad name!' }, { which: 'ivr_calls' }],
		continueOnFail: true,
	});
	expect(result.items.map((i) => i.json.error ?? i.json.report)).toEqual([
		'“bad name!” is not a Wolkvox report name',
		'ivr_calls',
	]);
});

test('without Continue, the run stops at the failing item and says which one', async () => {
	const result = await fx.run({ parameters: { report: '={{ $json.which }}' }, input });
	expect(result.run.status).toBe('error');
	expect(result.error).toMatchObject({
		name: 'NodeApiError',
		message: 'Wolkvox does not know the report “nope_report”',
		context: { itemIndex: 1 },
	});
	expect(fx.sim.billingRequests().map((r) => r.query.api)).toEqual(['agent_script', 'nope_report']);
});
