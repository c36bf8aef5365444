import wordpress from '@wordpress/eslint-plugin';

export default [
	...wordpress.configs.recommended,
	{
		files: [ 'assets/**/*.js' ],
		languageOptions: {
			sourceType: 'module',
			globals: {
				wp: 'readonly',
				window: 'readonly',
				document: 'readonly',
			},
		},
	},
	{ ignores: [ 'node_modules/**', 'vendor/**' ] },
];
