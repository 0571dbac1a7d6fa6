// n8n loads the node and credential from package.json's "n8n" section, not from here. This entry
// point lets other code require the built classes directly.
module.exports = {
	get WolkvoxBilling() {
		return require('./dist/nodes/WolkvoxBilling/WolkvoxBilling.node.js').WolkvoxBilling;
	},
	get WolkvoxBillingTrigger() {
		return require('./dist/nodes/WolkvoxBillingTrigger/WolkvoxBillingTrigger.node.js')
			.WolkvoxBillingTrigger;
	},
	get WolkvoxApi() {
		return require('./dist/credentials/WolkvoxApi.credentials.js').WolkvoxApi;
	},
};
