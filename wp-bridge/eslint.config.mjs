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
		rules: {
			// Modules form a tree (entries → features → common), never a circle.
			'import/no-cycle': 'error',
			// common/ is the bottom layer: it imports no feature folder.
			'import/no-restricted-paths': [
				'error',
				{
					zones: [
						{
							target: './assets/js/common',
							from: './assets/js',
							except: [ './common' ],
						},
					],
				},
			],
			// No function over 60 lines of code (blank lines and comments do not count).
			'max-lines-per-function': [
				'error',
				{ max: 60, skipBlankLines: true, skipComments: true },
			],
		},
	},
	{ ignores: [ 'node_modules/**', 'vendor/**' ] },
];
