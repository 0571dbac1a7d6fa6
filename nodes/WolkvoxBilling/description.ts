/** The parameters of the Wolkvox Billing node: which report, and how to shape its rows. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsProperty } from '../shared/options';
import { customReportProperty, reportProperty } from '../shared/reports';
import { toolProperties } from './tool';

export const billingProperties: INodeProperties[] = [
	...toolProperties,
	reportProperty,
	customReportProperty,
	optionsProperty,
];
