<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="en_GB">
<context>
    <name>Evaluation</name>
    <message numerus="yes">
        <source>%n mistake(s) · {right} of {total} right ({accuracy})</source>
        <translation>
            <numerusform>%n mistake · {right} of {total} right ({accuracy})</numerusform>
            <numerusform>%n mistakes · {right} of {total} right ({accuracy})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{label}→{pred}: %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>{label}→{pred}: %n mistake, the most confident first</numerusform>
            <numerusform>{label}→{pred}: %n mistakes, the most confident first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>label {label}: %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>label {label}: %n mistake, the most confident first</numerusform>
            <numerusform>label {label}: %n mistakes, the most confident first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>all %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>the only mistake</numerusform>
            <numerusform>all %n mistakes, the most confident first</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Paused after %n batch(es) · Step: one more · space: resume</source>
        <translation>
            <numerusform>Paused after %n batch · Step: one more · space: resume</numerusform>
            <numerusform>Paused after %n batches · Step: one more · space: resume</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Replay</name>
    <message numerus="yes">
        <source>{arch}: %n epoch(s), test accuracy {accuracy}</source>
        <translation>
            <numerusform>{arch}: %n epoch, test accuracy {accuracy}</numerusform>
            <numerusform>{arch}: %n epochs, test accuracy {accuracy}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message numerus="yes">
        <source>Training stopped after %n batch(es)</source>
        <translation>
            <numerusform>Training stopped after %n batch</numerusform>
            <numerusform>Training stopped after %n batches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Teach</name>
    <message numerus="yes">
        <source>Class set: %n drawing(s) in {folder}</source>
        <translation>
            <numerusform>Class set: %n drawing in {folder}</numerusform>
            <numerusform>Class set: %n drawings in {folder}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n drawing(s) now labelled {digit}</source>
        <translation>
            <numerusform>%n drawing now labelled {digit}</numerusform>
            <numerusform>%n drawings now labelled {digit}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n drawing(s) deleted</source>
        <translation>
            <numerusform>%n drawing deleted</numerusform>
            <numerusform>%n drawings deleted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete all %n drawing(s) of the class set?</source>
        <translation>
            <numerusform>Delete the only drawing of the class set?</numerusform>
            <numerusform>Delete all %n drawings of the class set?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n drawing(s) imported</source>
        <translation>
            <numerusform>%n drawing imported</numerusform>
            <numerusform>%n drawings imported</numerusform>
        </translation>
    </message>
</context>
</TS>
