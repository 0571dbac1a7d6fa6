'use strict';
// Realistic answers for every billing report: one row per product, counts sent as strings, as
// Wolkvox's pages show them. Used by the tests, the demo and the benchmark.

const OPERATION = 'Andina Contact Center';

/** Wolkvox dates its rows in its own zone (Colombia, UTC−5), whatever the machine's zone. */
const WOLKVOX_DATE = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'America/Bogota',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});

/** Wolkvox's "date of the query": the simulator's clock, as `YYYY-MM-DD HH:mm:ss` in Bogotá. */
function queryDate(now) {
	const parts = Object.fromEntries(WOLKVOX_DATE.formatToParts(now()).map((p) => [p.type, p.value]));
	return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** [description, items] per report; `rows()` adds operation and date. */
const PRODUCTS = {
	agent_script: [['Agent Script', '42']],
	intelligent_dial: [['Intelligent Dial', '12']],
	ivr_minutes: [
		['IVR minutes inbound', '8731'],
		['IVR minutes outbound', '1204'],
	],
	rec_screen: [
		['Screen recording minutes', '15340'],
		['Calls with screen recording (%)', '37.5'],
	],
	interactions: [
		['Mail interactions', '2210'],
		['Facebook interactions', '418'],
		['Twitter interactions', '36'],
	],
	chat_licenses: [['Chat licenses', '25']],
	interaction_licenses: [['Interaction licenses', '30']],
	ivr_calls: [['IVR calls', '5120']],
	amd_ai: [['AI answering-machine detections', '20433']],
	stereo_rec: [['Stereo recording minutes', '9080']],
	wp_connectors: [['WhatsApp connectors', '3']],
	wp_connectors_official: [['WhatsApp official connectors', '1']],
};

/** Reports whose page shows the code as the string "200". */
const STRING_CODE_REPORTS = new Set(['stereo_rec']);

function defaultReports(now) {
	const reports = {};
	for (const [api, products] of Object.entries(PRODUCTS)) {
		reports[api] = {
			code: STRING_CODE_REPORTS.has(api) ? '200' : 200,
			rows: () =>
				products.map(([description, items]) => ({
					operation: OPERATION,
					description,
					items,
					date: queryDate(now),
				})),
		};
	}
	return reports;
}

/** `count` rows of the usual shape, for large answers (Wolkvox allows up to 60,000). */
function generateRows(count, now = () => new Date()) {
	const date = queryDate(now);
	const rows = new Array(count);
	for (let i = 0; i < count; i++) {
		rows[i] = {
			operation: OPERATION,
			description: `Agent Script license ${String(i + 1).padStart(5, '0')}`,
			items: String((i * 7919) % 1000),
			date,
		};
	}
	return rows;
}

module.exports = { OPERATION, PRODUCTS, defaultReports, generateRows, queryDate };
