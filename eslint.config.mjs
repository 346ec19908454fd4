// ESLint flat config: typescript-eslint for correctness, eslint-plugin-jsdoc so every public class,
// function, interface and args field carries TSDoc (the terraform-docs role in this project).
import tseslint from "typescript-eslint";
import jsdoc from "eslint-plugin-jsdoc";

export default tseslint.config(
    { ignores: ["node_modules/**", "dist/**", "app/**", "coverage/**", "**/*.js", "**/*.mjs"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        files: ["components/**/*.ts", "stacks/**/*.ts", "packages/*/src/**/*.ts"],
        plugins: { jsdoc },
        rules: {
            "jsdoc/require-jsdoc": [
                "error",
                {
                    publicOnly: true,
                    require: { ClassDeclaration: true, FunctionDeclaration: true, MethodDefinition: false },
                    contexts: ["TSInterfaceDeclaration", "TSTypeAliasDeclaration", "TSPropertySignature", "ClassProperty[accessibility='public']", "PropertyDefinition[accessibility='public']"],
                },
            ],
        },
    },
);
