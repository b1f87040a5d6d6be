import * as ts from 'typescript';

/**
 * The option names of an interface as a user writes them: each property, and `group.member` for
 * each member of a property whose type is an option group declared in the same file
 * (`retry.attempts`, `lag.intervalMs`). A type from elsewhere (RegExp, Nest's InjectionToken,
 * another interface's options) is one option.
 */
export function optionNames(program: ts.Program, file: string, interfaceName: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const declaration = source?.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === interfaceName,
  );
  if (!source || !declaration) throw new Error(`no interface ${interfaceName} in ${file}`);

  const declaredHere = (property: ts.Symbol) =>
    property.declarations?.every((node) => node.getSourceFile() === source) ?? false;
  const namesOf = (type: ts.Type, prefix: string): string[] =>
    checker.getPropertiesOfType(type).flatMap((property) => {
      const name = prefix + property.name;
      const valueType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, declaration));
      const members = checker.getPropertiesOfType(valueType);
      return members.length > 0 && members.every(declaredHere) ? namesOf(valueType, `${name}.`) : [name];
    });
  return namesOf(checker.getTypeAtLocation(declaration), '');
}
